import { findStatusCondition, setStatusCondition } from './conditions';

describe('setStatusCondition', () => {
  const t1 = new Date('2026-01-01T10:00:00.123Z');
  const t2 = new Date('2026-01-01T11:00:00Z');

  it('appends a new condition with the transition time now (whole seconds)', () => {
    const list = setStatusCondition(undefined, { type: 'Ready', status: 'True', reason: 'Up', message: '' }, t1);
    expect(list).toEqual([{ type: 'Ready', status: 'True', reason: 'Up', message: '', lastTransitionTime: '2026-01-01T10:00:00Z' }]);
  });

  it('keeps the transition time while the status stays, and moves it when the status changes', () => {
    const first = setStatusCondition([], { type: 'Ready', status: 'True', reason: 'Up', message: 'a' }, t1);
    const same = setStatusCondition(first, { type: 'Ready', status: 'True', reason: 'StillUp', message: 'b' }, t2);
    expect(same).toEqual([{ type: 'Ready', status: 'True', reason: 'StillUp', message: 'b', lastTransitionTime: '2026-01-01T10:00:00Z' }]);
    const changed = setStatusCondition(same, { type: 'Ready', status: 'False', reason: 'Down', message: '' }, t2);
    expect(changed[0]?.lastTransitionTime).toBe('2026-01-01T11:00:00Z');
    expect(first[0]?.reason).toBe('Up'); // the input is not changed
  });

  it('replaces only the condition of its type, in place', () => {
    let list = setStatusCondition([], { type: 'A', status: 'True', reason: 'r', message: '' }, t1);
    list = setStatusCondition(list, { type: 'B', status: 'False', reason: 'r', message: '' }, t1);
    list = setStatusCondition(list, { type: 'A', status: 'False', reason: 'r2', message: '' }, t2);
    expect(list.map((c) => `${c.type}=${c.status}`)).toEqual(['A=False', 'B=False']);
    expect(findStatusCondition(list, 'B')?.status).toBe('False');
    expect(findStatusCondition(list, 'C')).toBeUndefined();
  });
});
