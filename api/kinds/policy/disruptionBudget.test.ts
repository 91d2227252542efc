import type { Pod } from '../core/pod';
import type { OwnerReference } from '../meta';
import { budgetSelectsPod, computeBudget, scaledValue, type ControllerScaleLookup } from './disruptionBudget';
import type { PodDisruptionBudget } from './podDisruptionBudget';

const now = new Date('2025-03-01T12:00:00Z');
const ns = 'shop';

function budget(spec: PodDisruptionBudget['spec'], status?: PodDisruptionBudget['status'], generation = 1): PodDisruptionBudget {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web-pdb', namespace: ns, generation }, spec, ...(status ? { status } : {}) };
}

interface PodOptions {
  readonly ready?: boolean;
  readonly labels?: Record<string, string>;
  readonly owner?: string;
  readonly deleting?: boolean;
  readonly namespace?: string;
}

function pod(name: string, options: PodOptions = {}): Pod {
  const owner: OwnerReference[] = options.owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: options.owner, uid: `uid-${options.owner}`, controller: true }] : [];
  return {
    metadata: {
      name,
      namespace: options.namespace ?? ns,
      labels: options.labels ?? { app: 'web' },
      ...(owner.length ? { ownerReferences: owner } : {}),
      ...(options.deleting ? { deletionTimestamp: '2025-03-01T11:59:00Z' } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }] },
  };
}

/** Controllers by ReplicaSet name: rs-a wants 4 replicas, rs-b wants 2. */
const replicas: Record<string, number> = { 'rs-a': 4, 'rs-b': 2 };
const lookup: ControllerScaleLookup = (ref) => (replicas[ref.name] !== undefined ? { uid: ref.uid, replicas: replicas[ref.name]! } : undefined);

const selector = { matchLabels: { app: 'web' } };

describe('scaledValue', () => {
  it('keeps integers and scales percentages, rounding as asked', () => {
    expect(scaledValue(3, 10, true)).toBe(3);
    expect(scaledValue('25%', 10, true)).toBe(3);
    expect(scaledValue('25%', 10, false)).toBe(2);
    expect(scaledValue('100%', 7, true)).toBe(7);
    expect(() => scaledValue('three', 10, true)).toThrow('not a percentage');
  });
});

describe('budgetSelectsPod', () => {
  it('selects by label in the same namespace only; a missing selector selects nothing, an empty one everything', () => {
    expect(budgetSelectsPod(budget({ selector }), pod('a'))).toBe(true);
    expect(budgetSelectsPod(budget({ selector }), pod('a', { labels: { app: 'db' } }))).toBe(false);
    expect(budgetSelectsPod(budget({ selector }), pod('a', { namespace: 'other' }))).toBe(false);
    expect(budgetSelectsPod(budget({ minAvailable: 1 }), pod('a'))).toBe(false);
    expect(budgetSelectsPod(budget({ selector: {} }), pod('a', { labels: { anything: 'x' } }))).toBe(true);
  });
});

describe('computeBudget', () => {
  it('counts pods for an integer minAvailable, without needing controllers', () => {
    const pods = [pod('a'), pod('b'), pod('c', { ready: false }), pod('other', { labels: { app: 'db' } })];
    const { status } = computeBudget({ budget: budget({ minAvailable: 1, selector }), pods, controllerScale: lookup, now });
    expect(status).toMatchObject({ expectedPods: 3, desiredHealthy: 1, currentHealthy: 2, disruptionsAllowed: 1, observedGeneration: 1 });
    expect(status.conditions).toEqual([{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 1, lastTransitionTime: '2025-03-01T12:00:00Z' }]);
  });

  it('allows nothing when the healthy pods do not exceed the desired ones', () => {
    const { status } = computeBudget({ budget: budget({ minAvailable: 2, selector }), pods: [pod('a'), pod('b')], controllerScale: lookup, now });
    expect(status).toMatchObject({ currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0 });
    expect(status.conditions?.[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
  });

  it('scales maxUnavailable and percentages by the controllers\' replicas, each controller once', () => {
    const pods = [pod('a1', { owner: 'rs-a' }), pod('a2', { owner: 'rs-a' }), pod('a3', { owner: 'rs-a' }), pod('b1', { owner: 'rs-b' })];
    const max = computeBudget({ budget: budget({ maxUnavailable: '25%', selector }), pods, controllerScale: lookup, now });
    // 4 + 2 replicas expected; 25% of 6 rounds up to 2 unavailable; 4 healthy - 4 desired.
    expect(max.status).toMatchObject({ expectedPods: 6, desiredHealthy: 4, currentHealthy: 4, disruptionsAllowed: 0 });
    const min = computeBudget({ budget: budget({ minAvailable: '50%', selector }), pods, controllerScale: lookup, now });
    expect(min.status).toMatchObject({ expectedPods: 6, desiredHealthy: 3, currentHealthy: 4, disruptionsAllowed: 1 });
  });

  it('leaves pods without a controller out of a controller-based count and reports them', () => {
    const result = computeBudget({ budget: budget({ maxUnavailable: 1, selector }), pods: [pod('a1', { owner: 'rs-b' }), pod('loose')], controllerScale: lookup, now });
    expect(result.unmanagedPods).toEqual(['loose']);
    expect(result.status).toMatchObject({ expectedPods: 2, desiredHealthy: 1, currentHealthy: 2, disruptionsAllowed: 1 });
  });

  it('fails safe when a controller cannot be found: no disruption, the reason in the condition', () => {
    const old = { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1, observedGeneration: 0 };
    const result = computeBudget({ budget: budget({ maxUnavailable: 1, selector }, old), pods: [pod('x1', { owner: 'rs-gone' })], controllerScale: lookup, now });
    expect(result.error).toBe('found no controllers for pod "x1"');
    expect(result.status).toMatchObject({ ...old, disruptionsAllowed: 0 });
    expect(result.status.conditions).toEqual([
      { type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: 'found no controllers for pod "x1"', observedGeneration: 0, lastTransitionTime: '2025-03-01T12:00:00Z' },
    ]);
  });

  it('does not count pods being deleted or recently evicted, and forgets overdue evictions', () => {
    const status = {
      currentHealthy: 0,
      desiredHealthy: 0,
      expectedPods: 0,
      disruptionsAllowed: 0,
      disruptedPods: { recent: '2025-03-01T11:59:30Z', overdue: '2025-03-01T11:50:00Z', gone: '2025-03-01T11:59:30Z' },
    };
    const pods = [pod('recent'), pod('overdue'), pod('gone', { deleting: true }), pod('fine')];
    const result = computeBudget({ budget: budget({ minAvailable: 1, selector }, status), pods, controllerScale: lookup, now });
    expect(result.status).toMatchObject({ expectedPods: 4, currentHealthy: 2, disruptionsAllowed: 1, disruptedPods: { recent: '2025-03-01T11:59:30Z' } });
    expect(result.recheckAt).toEqual(new Date('2025-03-01T12:01:30Z'));
  });

  it('expects no pods from a budget selecting none, and then allows nothing', () => {
    const { status } = computeBudget({ budget: budget({ maxUnavailable: 1, selector }), pods: [], controllerScale: lookup, now });
    expect(status).toMatchObject({ expectedPods: 0, desiredHealthy: 0, currentHealthy: 0, disruptionsAllowed: 0 });
  });

  it('keeps the transition time of a condition whose status did not change', () => {
    const earlier = { type: 'DisruptionAllowed', status: 'True' as const, reason: 'SufficientPods', message: '', lastTransitionTime: '2025-01-01T00:00:00Z' };
    const old = { currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, disruptionsAllowed: 1, conditions: [earlier] };
    const { status } = computeBudget({ budget: budget({ minAvailable: 1, selector }, old, 2), pods: [pod('a'), pod('b')], controllerScale: lookup, now });
    expect(status.conditions).toEqual([{ ...earlier, observedGeneration: 2 }]);
  });
});
