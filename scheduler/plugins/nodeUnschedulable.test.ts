import { factory, name } from './nodeUnschedulable';
import { filterOne, makeHandle, makeNode, makeNodeInfo, makePod } from './testing';

const plugin = factory(undefined, makeHandle([]));

describe('NodeUnschedulable', () => {
  it('is named as in Kubernetes', () => {
    expect(plugin.name).toBe(name);
    expect(name).toBe('NodeUnschedulable');
  });

  it('accepts any pod on a schedulable node', () => {
    expect(filterOne(plugin, makePod('p').obj(), makeNodeInfo(makeNode('n').obj()))).toBe('Success');
  });

  it('rejects a pod on an unschedulable node as unresolvable', () => {
    const node = makeNodeInfo(makeNode('n').unschedulable().obj());
    expect(filterOne(plugin, makePod('p').obj(), node)).toBe('UnschedulableAndUnresolvable: node(s) were unschedulable');
  });

  it.each([
    ['the exact taint', { key: 'node.kubernetes.io/unschedulable', operator: 'Exists' as const, effect: 'NoSchedule' as const }, 'Success'],
    ['every taint (empty key, Exists)', { operator: 'Exists' as const }, 'Success'],
    ['the key with any effect', { key: 'node.kubernetes.io/unschedulable', operator: 'Exists' as const }, 'Success'],
    ['the key with another effect', { key: 'node.kubernetes.io/unschedulable', operator: 'Exists' as const, effect: 'NoExecute' as const }, 'UnschedulableAndUnresolvable: node(s) were unschedulable'],
    ['another key', { key: 'other', operator: 'Exists' as const }, 'UnschedulableAndUnresolvable: node(s) were unschedulable'],
  ])('a pod tolerating %s: %s', (_what, toleration, want) => {
    const node = makeNodeInfo(makeNode('n').unschedulable().obj());
    expect(filterOne(plugin, makePod('p').toleration(toleration).obj(), node)).toBe(want);
  });
});
