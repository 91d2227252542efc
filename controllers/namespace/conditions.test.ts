import { assessRemaining, failingConditions, updateConditions } from './conditions';

const t0 = '2025-01-01T00:00:00Z';
const t1 = '2025-01-01T00:01:00Z';

describe('namespace deletion conditions', () => {
  it('sets every controller condition to its ok variant when nothing failed', () => {
    const { conditions, changed } = updateConditions(undefined, failingConditions({}, t0), t0);
    expect(changed).toBe(true);
    expect(conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
      ['NamespaceContentRemaining', 'False', 'ContentRemoved'],
      ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers'],
    ]);
    expect(conditions.find((c) => c.type === 'NamespaceFinalizersRemaining')?.message).toBe('All content-preserving finalizers finished');
    // The same findings again change nothing.
    expect(updateConditions(conditions, failingConditions({}, t1), t1).changed).toBe(false);
  });

  it('reports remaining content and finalizers with Kubernetes messages, sorted', () => {
    const failing = failingConditions(
      {
        remainingByResource: new Map([
          ['widgets.example.com', 2],
          ['pods.', 1],
          ['configmaps.', 0],
        ]),
        remainingByFinalizer: new Map([['example.com/hold', 2]]),
      },
      t0,
    );
    expect(failing).toEqual([
      { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: pods. has 1 resource instances, widgets.example.com has 2 resource instances', lastTransitionTime: t0 },
      {
        type: 'NamespaceFinalizersRemaining',
        status: 'True',
        reason: 'SomeFinalizersRemain',
        message: 'Some content in the namespace has finalizers remaining: example.com/hold in 2 resource instances',
        lastTransitionTime: t0,
      },
    ]);
  });

  it('reports discovery and content failures', () => {
    const failing = failingConditions({ discoveryFailures: new Map([['ex.io/v1', 'boom']]), contentErrors: ['b: no', 'a: no'] }, t0);
    expect(failing.map((c) => [c.type, c.reason, c.message])).toEqual([
      ['NamespaceDeletionDiscoveryFailure', 'DiscoveryFailed', 'Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: ex.io/v1: boom'],
      ['NamespaceDeletionContentFailure', 'ContentDeletionFailed', 'Failed to delete all resource types, 2 remaining: a: no, b: no'],
    ]);
  });

  it('moves lastTransitionTime only when the status changes, and keeps other conditions', () => {
    const other = { type: 'Other', status: 'True' };
    const first = updateConditions([other], failingConditions({ remainingByResource: new Map([['pods.', 1]]) }, t0), t0).conditions;
    const second = updateConditions(first, failingConditions({ remainingByResource: new Map([['pods.', 2]]) }, t1), t1);
    expect(second.changed).toBe(true);
    const remaining = second.conditions.find((c) => c.type === 'NamespaceContentRemaining')!;
    expect(remaining.lastTransitionTime).toBe(t0);
    expect(remaining.message).toContain('pods. has 2 resource instances');
    const third = updateConditions(second.conditions, failingConditions({}, t1), t1).conditions.find((c) => c.type === 'NamespaceContentRemaining')!;
    expect([third.status, third.reason, third.lastTransitionTime]).toEqual(['False', 'ContentRemoved', t1]);
    expect(second.conditions[0]).toEqual(other);
  });

  it('assesses what remains after a deletion pass', () => {
    const now = Date.parse(t0);
    expect(assessRemaining([], now)).toEqual({ remaining: 0, byFinalizer: new Map(), estimateSeconds: 0, unexpected: 0 });
    const a = assessRemaining(
      [
        { metadata: { finalizers: ['x', 'y'], deletionTimestamp: t0 } },
        { metadata: { finalizers: ['x'] } },
        { metadata: { deletionTimestamp: '2025-01-01T00:00:30Z', deletionGracePeriodSeconds: 30 } },
        { metadata: {} },
      ],
      now,
    );
    expect(a.remaining).toBe(4);
    expect([...a.byFinalizer]).toEqual([
      ['x', 2],
      ['y', 1],
    ]);
    expect(a.estimateSeconds).toBe(30);
    expect(a.unexpected).toBe(1);
    expect(assessRemaining([{ metadata: { finalizers: ['x'] } }], now).estimateSeconds).toBe(15);
  });
});
