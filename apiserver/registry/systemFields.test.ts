import { timestamp } from './systemFields';

describe('timestamp', () => {
  afterEach(() => jest.useRealTimers());

  it('formats a given time, and the current one to the second as it moves on', () => {
    expect(timestamp(new Date('2024-05-01T12:00:00.999Z'))).toBe('2024-05-01T12:00:00Z');
    jest.useFakeTimers({ now: new Date('2026-11-21T10:00:00.100Z') });
    expect(timestamp()).toBe('2026-11-21T10:00:00Z');
    jest.setSystemTime(new Date('2026-11-21T10:00:00.900Z'));
    expect(timestamp()).toBe('2026-11-21T10:00:00Z');
    jest.setSystemTime(new Date('2026-11-21T10:00:01.000Z'));
    expect(timestamp()).toBe('2026-11-21T10:00:01Z');
    jest.setSystemTime(new Date('2025-01-01T00:00:00.000Z')); // a clock set back
    expect(timestamp()).toBe('2025-01-01T00:00:00Z');
  });
});
