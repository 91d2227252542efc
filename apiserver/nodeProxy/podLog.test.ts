import { StatusError } from '../../api/status';
import { podLogOptions } from './podLog';

function failure(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a StatusError');
}

describe('podLogOptions', () => {
  it('reads the query as PodLogOptions, normalizing sinceTime to UTC seconds', () => {
    expect(podLogOptions({ follow: 'true', tailLines: '5', limitBytes: '100', timestamps: '1' }, 'p')).toEqual({
      follow: true,
      previous: false,
      timestamps: true,
      tailLines: 5,
      limitBytes: 100,
    });
    expect(podLogOptions({ sinceTime: '2025-01-02T03:04:05.678-02:00' }, 'p').sinceTime).toBe('2025-01-02T05:04:05Z');
  });

  it('answers 400 for malformed values and 422 for invalid ones', () => {
    expect(failure(() => podLogOptions({ sinceTime: 'yesterday' }, 'p')).code).toBe(400);
    expect(failure(() => podLogOptions({ previous: 'perhaps' }, 'p')).code).toBe(400);
    expect(failure(() => podLogOptions({ sinceSeconds: '0' }, 'p'))).toEqual({ code: 422, message: 'PodLogOptions "p" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0' });
  });
});
