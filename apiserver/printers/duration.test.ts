import { humanDuration, since } from './duration';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration (Kubernetes duration.HumanDuration)', () => {
  it.each([
    [-3 * s, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [5 * s + 900, '5s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [3 * m + 20 * s, '3m20s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 12 * m, '3h12m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [2 * d + 4 * h, '2d4h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d + 5 * h, '8d'],
    [729 * d, '729d'],
    [730 * d, '2y'],
    [3 * 365 * d + 100 * d, '3y100d'],
    [8 * 365 * d + 100 * d, '8y'],
  ])('%d ms is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it('measures ages from a timestamp, <unknown> without one', () => {
    const now = Date.parse('2024-05-01T12:00:00Z');
    expect(since('2024-05-01T11:50:00Z', now)).toBe('10m');
    expect(since(undefined, now)).toBe('<unknown>');
    expect(since('', now)).toBe('<unknown>');
  });
});
