/**
 * Strategic merge patch on real schemas, with cases ported from Kubernetes'
 * strategicpatch/patch_test.go (mergingList → containers by name, mergingIntList → finalizers,
 * nonMergingList → tolerations, retainKeysMap → Deployment strategy, retainKeysMergingList →
 * volumes). Results, order included, are what Kubernetes' StrategicMergeMapPatch gives.
 */
import { Deployment } from '../kinds/apps/deployment';
import { ControllerRevision } from '../kinds/apps/controllerRevision';
import { Pod } from '../kinds/core/pod';
import { PodDisruptionBudget } from '../kinds/policy/podDisruptionBudget';
import { StatusError } from '../status';
import { applyStrategicMergePatch } from './strategicMergePatch';

type Json = Record<string, unknown>;

const patchPod = (original: Json, patch: Json) => applyStrategicMergePatch(Pod, original, patch) as Json;
const c = (name: string, extra: Json = {}) => ({ name, image: `${name}:1`, ...extra });
const podWith = (spec: Json) => ({ metadata: { name: 'p' }, spec });
const containersOf = (pod: Json) => ((pod.spec as Json).containers as Json[]).map((x) => x.name);

/** The StatusError `fn` throws. */
function failure(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected a StatusError');
}

describe('applyStrategicMergePatch: objects and maps', () => {
  it('merges objects recursively; null deletes a key; labels merge key by key', () => {
    const original = { metadata: { name: 'p', labels: { a: '1', b: '2' } }, spec: { containers: [c('a')], nodeName: 'n1' } };
    const result = patchPod(original, { metadata: { labels: { b: null, c: '3' } }, spec: { nodeName: null, hostname: 'h' } });
    expect(result).toEqual({ metadata: { name: 'p', labels: { a: '1', c: '3' } }, spec: { containers: [c('a')], hostname: 'h' } });
  });

  it('ignores a null for an absent key and drops the nulls of a new value', () => {
    const result = patchPod(podWith({ containers: [c('a')] }), { spec: { subdomain: null, securityContext: { runAsUser: 1, fsGroup: null } } });
    expect(result.spec).toEqual({ containers: [c('a')], securityContext: { runAsUser: 1 } });
  });

  it('$patch: replace makes a map the patch (without the directive)', () => {
    const result = patchPod({ metadata: { name: 'p', labels: { a: '1', b: '2' } } }, { metadata: { labels: { $patch: 'replace', x: '1' } } });
    expect(result.metadata).toEqual({ name: 'p', labels: { x: '1' } });
  });

  it('$patch: delete empties a live map, and adds nothing for an absent one', () => {
    const result = patchPod(podWith({ containers: [c('a')], securityContext: { runAsUser: 1 } }), {
      metadata: { annotations: { $patch: 'delete' } },
      spec: { securityContext: { $patch: 'delete' } },
    });
    expect(result).toEqual({ metadata: { name: 'p' }, spec: { containers: [c('a')], securityContext: {} } });
  });

  it('$patch: replace at the top replaces the whole object', () => {
    const result = patchPod(podWith({ containers: [c('a')] }), { $patch: 'replace', metadata: { name: 'q' } });
    expect(result).toEqual({ metadata: { name: 'q' } });
  });

  it('a field with strategy replace takes the patch value whole (PodDisruptionBudget selector)', () => {
    const original = { spec: { selector: { matchLabels: { a: '1' }, matchExpressions: [{ key: 'k', operator: 'Exists' }] } } };
    const result = applyStrategicMergePatch(PodDisruptionBudget, original, { spec: { selector: { matchLabels: { b: '2' } } } });
    expect(result).toEqual({ spec: { selector: { matchLabels: { b: '2' } } } });
  });

  it('a field the schema leaves open (RawExtension) merges its objects and replaces its lists', () => {
    const original = { data: { a: 1, nested: { x: 1, y: 2 }, list: [1, 2] }, revision: 1 };
    const result = applyStrategicMergePatch(ControllerRevision, original, { data: { nested: { y: null, z: 3 }, list: [3] } });
    expect(result).toEqual({ data: { a: 1, nested: { x: 1, z: 3 }, list: [3] }, revision: 1 });
  });

  it('leaves its inputs untouched, so a retried patch gives the same result', () => {
    const original = podWith({ containers: [c('a'), c('b')], volumes: [{ name: 'v', emptyDir: {} }] });
    const patch = {
      spec: {
        containers: [{ name: 'a', $patch: 'delete' }, c('c')],
        volumes: [{ name: 'v', $retainKeys: ['name', 'configMap'], configMap: { name: 'cm' } }],
      },
    };
    const before = { original: structuredClone(original), patch: structuredClone(patch) };
    const first = patchPod(original, patch);
    expect({ original, patch }).toEqual(before);
    expect(patchPod(original, patch)).toEqual(first);
  });

  it('keys such as __proto__ are plain members, never prototypes', () => {
    const patch = JSON.parse('{"metadata":{"labels":{"__proto__":{"polluted":"yes"}}}}') as Json;
    const result = patchPod({ metadata: { name: 'p', labels: { a: '1' } } }, patch);
    const labels = (result.metadata as Json).labels as Json;
    expect(Object.keys(labels)).toEqual(['a', '__proto__']);
    expect('polluted' in labels).toBe(false);
  });
});

describe('applyStrategicMergePatch: lists of objects with a merge key', () => {
  it('merges containers by name, keeping the others', () => {
    const result = patchPod(podWith({ containers: [c('a'), c('b')] }), { spec: { containers: [{ name: 'b', image: 'b:2' }] } });
    expect((result.spec as Json).containers).toEqual([c('a'), { name: 'b', image: 'b:2' }]);
  });

  it('puts a new element first when the patch gives no order (as Kubernetes does)', () => {
    const result = patchPod(podWith({ containers: [c('a')] }), { spec: { containers: [c('c')] } });
    expect(containersOf(result)).toEqual(['c', 'a']);
  });

  it('$setElementOrder: a new element goes where the order says', () => {
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }, { name: 'c' }], containers: [c('c')] } };
    expect(containersOf(patchPod(podWith({ containers: [c('a'), c('b')] }), patch))).toEqual(['a', 'b', 'c']);
  });

  it('$setElementOrder alone reorders the live list', () => {
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }] } };
    expect(containersOf(patchPod(podWith({ containers: [c('a'), c('b'), c('c')] }), patch))).toEqual(['c', 'a', 'b']);
  });

  it('port of "merge lists of maps": new and live elements in $setElementOrder order', () => {
    const live = podWith({ containers: [c('n1', { tty: true }), c('n2', { stdin: true })] });
    const patch = {
      spec: {
        '$setElementOrder/containers': [{ name: 'n4' }, { name: 'n1' }, { name: 'n2' }, { name: 'n3' }],
        containers: [c('n4'), c('n3')],
      },
    };
    expect((patchPod(live, patch).spec as Json).containers).toEqual([c('n4'), c('n1', { tty: true }), c('n2', { stdin: true }), c('n3')]);
  });

  it('an element only the server has keeps its place relative to the live list', () => {
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'b', image: 'b:2' }] } };
    expect(containersOf(patchPod(podWith({ containers: [c('a'), c('s'), c('b')] }), patch))).toEqual(['s', 'b', 'a']);
  });

  it('port of "preserve the order from the patch in a merging list 2"', () => {
    const live = podWith({ containers: [c('n1'), c('n2', { tty: true }), c('n3')] });
    const result = patchPod(live, { spec: { containers: [{ name: 'n3', tty: true }, { name: 'n1', stdin: true }] } });
    expect((result.spec as Json).containers).toEqual([c('n2', { tty: true }), c('n3', { tty: true }), c('n1', { stdin: true })]);
  });

  it('$patch: delete removes the element(s) with that key', () => {
    const live = podWith({ containers: [c('a'), c('b'), c('a')] });
    expect(containersOf(patchPod(live, { spec: { containers: [{ name: 'a', $patch: 'delete' }] } }))).toEqual(['b']);
  });

  it('$patch: replace in a list makes the list the patch elements', () => {
    const live = podWith({ containers: [c('a'), c('b')] });
    expect((patchPod(live, { spec: { containers: [{ $patch: 'replace' }, c('c')] } }).spec as Json).containers).toEqual([c('c')]);
  });

  it('merges ports by containerPort and env by name inside a container, with $setElementOrder/env', () => {
    const live = podWith({
      containers: [
        c('a', {
          ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }, { containerPort: 443, protocol: 'TCP' }],
          env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
        }),
      ],
    });
    const patch = {
      spec: {
        containers: [
          {
            name: 'a',
            ports: [{ containerPort: 80, name: 'web' }],
            '$setElementOrder/env': [{ name: 'A' }, { name: 'B' }, { name: 'C' }],
            env: [{ name: 'C', value: '3' }],
          },
        ],
      },
    };
    const container = ((patchPod(live, patch).spec as Json).containers as Json[])[0]!;
    expect(container.ports).toEqual([{ containerPort: 80, protocol: 'TCP', name: 'web' }, { containerPort: 443, protocol: 'TCP' }]);
    expect(container.env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'C', value: '3' }]);
  });

  it('volumes merge by name and $retainKeys clears the other volume source', () => {
    const live = podWith({ containers: [c('a')], volumes: [{ name: 'v', emptyDir: {} }, { name: 'w', emptyDir: {} }] });
    const patch = {
      spec: {
        '$setElementOrder/volumes': [{ name: 'v' }, { name: 'w' }],
        volumes: [{ name: 'v', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }],
      },
    };
    expect((patchPod(live, patch).spec as Json).volumes).toEqual([{ name: 'v', configMap: { name: 'cm' } }, { name: 'w', emptyDir: {} }]);
  });

  it('a list without a merge strategy is replaced (tolerations are atomic)', () => {
    const live = podWith({ containers: [c('a')], tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }] });
    const result = patchPod(live, { spec: { tolerations: [{ key: 'c', operator: 'Exists' }] } });
    expect((result.spec as Json).tolerations).toEqual([{ key: 'c', operator: 'Exists' }]);
  });
});

describe('applyStrategicMergePatch: lists of primitives (finalizers)', () => {
  const finalizers = (live: string[], patch: Json) =>
    (patchPod({ metadata: { name: 'p', finalizers: live } }, { metadata: patch }).metadata as Json).finalizers;

  it('merges as a set: the union, without duplicates', () => {
    expect(finalizers(['a', 'b'], { finalizers: ['b', 'c'] })).toEqual(['a', 'b', 'c']);
  });

  it('port of "preserve the order from the patch in a merging int list"', () => {
    expect(finalizers(['x', 'y', 'z'], { finalizers: ['z', 'x'] })).toEqual(['y', 'z', 'x']);
  });

  it('$deleteFromPrimitiveList removes values, $setElementOrder orders the rest', () => {
    expect(finalizers(['a', 'b', 'c', 'd'], { '$setElementOrder/finalizers': ['c', 'a'], '$deleteFromPrimitiveList/finalizers': ['b'] })).toEqual([
      'c',
      'a',
      'd',
    ]);
  });

  it('adds and deletes in one patch (port of "add and delete items in lists of scalars")', () => {
    const patch = { '$setElementOrder/finalizers': ['a', 'b', 'd'], '$deleteFromPrimitiveList/finalizers': ['c'], finalizers: ['d'] };
    expect(finalizers(['a', 'b', 'c', 'd'], patch)).toEqual(['a', 'b', 'd']);
  });

  it('$setElementOrder may name values the list does not have', () => {
    expect(finalizers(['a', 'c'], { '$setElementOrder/finalizers': ['c', 'b', 'a'] })).toEqual(['c', 'a']);
  });
});

describe('applyStrategicMergePatch: retainKeys (Deployment strategy)', () => {
  const live = { spec: { replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } } };
  const strategy = (patch: Json) => ((applyStrategicMergePatch(Deployment, live, { spec: { strategy: patch } }) as Json).spec as Json).strategy;

  it('$retainKeys clears the keys it does not list', () => {
    expect(strategy({ $retainKeys: ['type'], type: 'Recreate' })).toEqual({ type: 'Recreate' });
  });

  it('without $retainKeys the strategy merges like any object', () => {
    expect(strategy({ type: 'Recreate' })).toEqual({ type: 'Recreate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
  });

  it('a key set by the patch but not listed in $retainKeys is a 400', () => {
    const err = failure(() => strategy({ $retainKeys: ['type'], type: 'Recreate', rollingUpdate: { maxSurge: 1 } }));
    expect([err.code, err.reason, err.message]).toEqual([400, 'BadRequest', 'invalid patch format of retainKeys']);
  });

  it('$retainKeys that is not a list is a 400', () => {
    expect(failure(() => strategy({ $retainKeys: 'type' })).code).toBe(400);
  });
});

describe('applyStrategicMergePatch: malformed patches answer as Kubernetes does', () => {
  const live = podWith({ containers: [c('a')] });
  const cases: [string, Json, number, string | RegExp][] = [
    ['$patch: merge in a map', { metadata: { $patch: 'merge' } }, 500, 'unknown patch type: merge in map: map[$patch:merge]'],
    ['$patch: merge in a list', { spec: { containers: [{ name: 'a', $patch: 'merge' }] } }, 500, 'merging lists cannot yet be specified in the patch'],
    ['an unknown $patch in a list', { spec: { containers: [{ name: 'a', $patch: 'explode' }] } }, 500, 'unknown patch type: explode in map: map[$patch:explode name:a]'],
    ['an element without its merge key', { spec: { containers: [{ image: 'x' }] } }, 500, 'map: map[image:x] does not contain declared merge key: name'],
    [
      'a patch list out of $setElementOrder order',
      { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [c('b'), c('a')] } },
      500,
      /doesn't match \$setElementOrder list/,
    ],
    ['$setElementOrder of an unknown field', { spec: { '$setElementOrder/bogus': [{ name: 'a' }] } }, 500, 'unable to find api field in struct PodSpec for the json field "bogus"'],
    ['$setElementOrder of a field that is not a list', { spec: { '$setElementOrder/hostname': ['a'] } }, 500, 'expected slice or array type, but got: struct'],
    ['a malformed $setElementOrder key', { spec: { '$setElementOrderX/containers': [{ name: 'a' }] } }, 400, 'invalid patch format of setElementOrder list'],
    ['a malformed $deleteFromPrimitiveList key', { metadata: { $deleteFromPrimitiveListfinalizers: ['a'] } }, 400, 'invalid patch format of primitive list'],
    ['a list of lists', { metadata: { finalizers: [['x']] } }, 422, 'the server rejected our request due to an error in our request'],
    ['mixed element types', { spec: { containers: ['a'] } }, 500, /^list element types are not identical/],
  ];
  it.each(cases)('%s', (_what, patch, code, message) => {
    const err = failure(() => patchPod({ ...live, metadata: { name: 'p', finalizers: [] } }, patch));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.reason).toBe(({ 400: 'BadRequest', 422: 'Invalid', 500: '' } as Record<number, string>)[code]);
  });

  it('a list of lists carries mergepatch message as its cause', () => {
    const err = failure(() => patchPod({ metadata: { name: 'p', finalizers: [] } }, { metadata: { finalizers: [['x']] } }));
    expect(err.details?.causes).toEqual([{ reason: 'UnexpectedServerResponse', message: 'lists of lists are not supported' }]);
  });
});
