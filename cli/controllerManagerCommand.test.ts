import { duration, selectControllers } from './controllerManagerCommand';

const controllers = ['deployment', 'replicaset', 'job'].map((name) => ({ name, register: () => {} }));
const names = (spec: string) => selectControllers(controllers, spec).map((c) => c.name);

describe('marina controller-manager flags', () => {
  it('--controllers: *, a list, and -name to leave one out', () => {
    expect(names('*')).toEqual(['deployment', 'replicaset', 'job']);
    expect(names('job,deployment')).toEqual(['deployment', 'job']);
    expect(names('*,-job')).toEqual(['deployment', 'replicaset']);
    expect(names('-job')).toEqual([]);
    expect(() => names('nope')).toThrow(/unknown controller "nope"/);
    expect(selectControllers([], '*')).toEqual([]);
  });

  it('durations as Go writes them', () => {
    expect(duration('15s')).toBe(15_000);
    expect(duration('500ms')).toBe(500);
    expect(duration('1m30s')).toBe(90_000);
    expect(duration('1.5s')).toBe(1500);
    expect(duration('2000')).toBe(2000);
    expect(() => duration('soon')).toThrow();
    expect(() => duration('5x')).toThrow();
    expect(() => duration('')).toThrow();
  });
});
