import { CycleStateImpl } from './cycleState';

describe('CycleStateImpl', () => {
  it('reads what was last written under each key, however reads and writes interleave', () => {
    const state = new CycleStateImpl();
    expect(state.read('a')).toBeUndefined();
    state.write('a', 1);
    expect(state.read('a')).toBe(1);
    expect(state.read('a')).toBe(1);
    state.write('a', 2);
    expect(state.read('a')).toBe(2);
    state.write('b', 3);
    expect(state.read('a')).toBe(2);
    expect(state.read('b')).toBe(3);
    state.write('a', 4);
    expect(state.read('b')).toBe(3);
    expect(state.read('a')).toBe(4);
  });

  it('clones values that clone themselves, so a copy can change without touching the original', () => {
    const state = new CycleStateImpl();
    const counter = { n: 1, clone: () => ({ n: counter.n, clone: counter.clone }) };
    state.write('counter', counter);
    state.write('plain', 'x');
    state.skipFilterPlugins.add('P');
    const copy = state.clone();
    copy.read<{ n: number }>('counter')!.n = 5;
    copy.write('plain', 'y');
    expect(state.read<{ n: number }>('counter')!.n).toBe(1);
    expect(state.read('plain')).toBe('x');
    expect(copy.read('plain')).toBe('y');
    expect(copy.skipFilterPlugins.has('P')).toBe(true);
  });
});
