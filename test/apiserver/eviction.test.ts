/**
 * pods/eviction: a pod is deleted as its PodDisruptionBudget allows (429 when it would violate
 * it), with the eviction's DeleteOptions; budgets are computed from the live pods while no
 * controller keeps their status, and their status is used when it is current. Also through the
 * real kubectl: `kubectl drain` evicts (and is held back by a budget), `kubectl delete` ignores
 * budgets.
 */
import type { RawResponse } from '../../client/restClient';
import { useControlPlane } from '../harness/apiserver';
import { useKubectl } from '../harness/kubectl';
import { expectOk, podBody, type LooseObj } from './crudHelpers';
import { createNamespace, expectStatus, type Obj } from './helpers';

const plane = useControlPlane();
const kubectl = useKubectl(() => plane.url);

const violation = "Cannot evict pod as it would violate the pod's disruption budget.";

interface PodOptions {
  readonly app?: string;
  /** Default Running and Ready. */
  readonly phase?: 'Pending' | 'Running' | 'Succeeded';
  readonly ready?: boolean;
  readonly nodeName?: string;
  readonly owner?: { readonly kind: string; readonly name: string; readonly uid: string };
}

function paths(ns: string) {
  return {
    pod: (name = '') => `/api/v1/namespaces/${ns}/pods${name ? `/${name}` : ''}`,
    budget: (name = '') => `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets${name ? `/${name}` : ''}`,
  };
}

async function createPod(ns: string, name: string, options: PodOptions = {}): Promise<void> {
  const owner = options.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', ...options.owner, controller: true }] } : {};
  const spec = { containers: [{ name: 'c', image: 'busybox' }], ...(options.nodeName ? { nodeName: options.nodeName } : {}) };
  await plane.client.create(paths(ns).pod(), podBody(name, { metadata: { name, labels: { app: options.app ?? 'web' }, ...owner }, spec }));
  const phase = options.phase ?? 'Running';
  if (phase === 'Pending') return;
  const ready = options.ready ?? phase === 'Running';
  await plane.client.patch(`${paths(ns).pod(name)}/status`, {
    status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: '2025-01-01T00:00:00Z' }] },
  });
}

async function createBudget(ns: string, name: string, spec: Record<string, unknown>): Promise<LooseObj> {
  return plane.client.create<LooseObj>(paths(ns).budget(), { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec });
}

function evict(ns: string, name: string, body: Record<string, unknown> = {}, query?: Record<string, string>): Promise<RawResponse> {
  const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns }, ...body };
  return plane.client.raw('POST', `${paths(ns).pod(name)}/eviction`, { body: eviction, ...(query ? { query } : {}) });
}

async function podExists(ns: string, name: string): Promise<boolean> {
  return (await plane.client.raw('GET', paths(ns).pod(name))).status === 200;
}

async function getBudget(ns: string, name: string): Promise<LooseObj> {
  return plane.client.get<LooseObj>(paths(ns).budget(name));
}

/** Asserts the 429 of a budget that allows no disruption, and returns its cause's message. */
function expectViolation(res: RawResponse): string {
  const body = expectStatus(res, 429, 'TooManyRequests');
  expect(body.message).toBe(violation);
  expect(body.details?.causes).toHaveLength(1);
  expect(body.details!.causes![0]!.reason).toBe('DisruptionBudget');
  return body.details!.causes![0]!.message!;
}

describe('evicting a pod', () => {
  it('deletes a pod no budget covers, answering 201 Success', async () => {
    const ns = await createNamespace(plane.client, 'ev-free');
    await createPod(ns, 'lonely');
    const res = await evict(ns, 'lonely');
    expect(expectOk(res, 201)).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    expect(await podExists(ns, 'lonely')).toBe(false);
  });

  it('accepts policy/v1beta1 Evictions too', async () => {
    const ns = await createNamespace(plane.client, 'ev-beta');
    await createPod(ns, 'old-style');
    expect((await evict(ns, 'old-style', { apiVersion: 'policy/v1beta1' })).status).toBe(201);
    expect(await podExists(ns, 'old-style')).toBe(false);
  });

  it('deletes gracefully with the eviction\'s delete options', async () => {
    const ns = await createNamespace(plane.client, 'ev-grace');
    await createPod(ns, 'bound', { nodeName: 'n1' });
    await createPod(ns, 'quick', { nodeName: 'n1' });
    expect((await evict(ns, 'bound', { deleteOptions: { gracePeriodSeconds: 7 } })).status).toBe(201);
    const bound = await plane.client.get<Obj>(paths(ns).pod('bound'));
    expect(bound.metadata.deletionTimestamp).toBeDefined();
    expect(bound.metadata.deletionGracePeriodSeconds).toBe(7);
    expect((await evict(ns, 'quick', { deleteOptions: { gracePeriodSeconds: 0 } })).status).toBe(201);
    expect(await podExists(ns, 'quick')).toBe(false);
  });

  it('rejects a mismatched or malformed eviction, and an unknown pod', async () => {
    const ns = await createNamespace(plane.client, 'ev-bad');
    await createPod(ns, 'target');
    const mismatch = plane.client.raw('POST', `${paths(ns).pod('target')}/eviction`, { body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'other' } } });
    expect(expectStatus(await mismatch, 400, 'BadRequest').message).toBe('name in URL does not match name in Eviction object');
    expect(expectStatus(await evict(ns, 'target', { apiVersion: 'policy/v2' }), 400, 'BadRequest').message).toContain('does not match the expected API version');
    const strict = await evict(ns, 'target', { deleteOptions: { gracePeriod: 1 } }, { fieldValidation: 'Strict' });
    expect(expectStatus(strict, 400, 'BadRequest').message).toBe('strict decoding error: unknown field "deleteOptions.gracePeriod"');
    expectStatus(await evict(ns, 'target', { deleteOptions: { propagationPolicy: 'Sideways' } }), 422, 'Invalid');
    expectStatus(await evict(ns, 'missing'), 404, 'NotFound');
    expect(expectStatus(await plane.client.raw('GET', `${paths(ns).pod('target')}/eviction`), 405).reason).toBe('MethodNotAllowed');
    expect(await podExists(ns, 'target')).toBe(true);
  });

  it('answers a dry run without deleting the pod or using the budget', async () => {
    const ns = await createNamespace(plane.client, 'ev-dry');
    await createPod(ns, 'a');
    await createPod(ns, 'b');
    await createBudget(ns, 'pdb', { minAvailable: 1, selector: { matchLabels: { app: 'web' } } });
    expect((await evict(ns, 'a', {}, { dryRun: 'All' })).status).toBe(201);
    expect((await evict(ns, 'b', { deleteOptions: { dryRun: ['All'] } })).status).toBe(201);
    expect(await podExists(ns, 'a')).toBe(true);
    expect(await podExists(ns, 'b')).toBe(true);
    expect((await getBudget(ns, 'pdb')).status ?? {}).toEqual({});
  });
});

describe('disruption budgets', () => {
  it('allows evictions while the budget has room, then answers 429 with the budget\'s numbers', async () => {
    const ns = await createNamespace(plane.client, 'ev-min');
    for (const name of ['web-1', 'web-2', 'web-3']) await createPod(ns, name);
    await createPod(ns, 'db-1', { app: 'db' });
    await createBudget(ns, 'web-pdb', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } });

    expect((await evict(ns, 'web-1')).status).toBe(201);
    expect(await podExists(ns, 'web-1')).toBe(false);
    // What the eviction used up is recorded, without claiming the generation as observed.
    const budget = await getBudget(ns, 'web-pdb');
    expect(budget.status).toMatchObject({ expectedPods: 3, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 0 });
    expect(Object.keys(budget.status.disruptedPods)).toEqual(['web-1']);
    expect(budget.status.observedGeneration).toBeUndefined();
    expect(budget.status.conditions).toMatchObject([{ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' }]);

    expect(expectViolation(await evict(ns, 'web-2'))).toBe('The disruption budget web-pdb needs 2 healthy pods and has 2 currently');
    expect(await podExists(ns, 'web-2')).toBe(true);
    // Pods the budget does not select are not held back.
    expect((await evict(ns, 'db-1')).status).toBe(201);
  });

  it('evicts pods that are not running, or finished, whatever the budget', async () => {
    const ns = await createNamespace(plane.client, 'ev-phase');
    await createPod(ns, 'starting', { phase: 'Pending' });
    await createPod(ns, 'done', { phase: 'Succeeded' });
    await createBudget(ns, 'all', { minAvailable: '100%', selector: {} });
    expect((await evict(ns, 'starting')).status).toBe(201);
    expect((await evict(ns, 'done')).status).toBe(201);
    expect(await podExists(ns, 'starting')).toBe(false);
    expect(await podExists(ns, 'done')).toBe(false);
  });

  it('lets an unready pod go when the budget is met, or always with AlwaysAllow', async () => {
    const ns = await createNamespace(plane.client, 'ev-unready');
    for (const name of ['ok-1', 'ok-2']) await createPod(ns, name);
    await createPod(ns, 'sick-1', { ready: false });
    await createPod(ns, 'sick-2', { ready: false });
    await createBudget(ns, 'met', { minAvailable: 1, selector: { matchLabels: { app: 'web' } } });
    // Two healthy pods, one desired: the unready pod goes without using the budget.
    expect((await evict(ns, 'sick-1')).status).toBe(201);
    expect((await getBudget(ns, 'met')).status ?? {}).toEqual({});

    const strict = await createNamespace(plane.client, 'ev-unmet');
    await createPod(strict, 'ok');
    await createPod(strict, 'sick', { ready: false });
    await createBudget(strict, 'unmet', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } });
    expect(expectViolation(await evict(strict, 'sick'))).toBe('The disruption budget unmet needs 2 healthy pods and has 1 currently');
    await plane.client.patch(paths(strict).budget('unmet'), { spec: { unhealthyPodEvictionPolicy: 'AlwaysAllow' } });
    expect((await evict(strict, 'sick')).status).toBe(201);
    expect(expectViolation(await evict(strict, 'ok'))).toBe('The disruption budget unmet needs 2 healthy pods and has 1 currently');
  });

  it('answers 500 for a pod selected by more than one budget', async () => {
    const ns = await createNamespace(plane.client, 'ev-two');
    await createPod(ns, 'shared');
    await createBudget(ns, 'one', { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } });
    await createBudget(ns, 'two', { minAvailable: 0, selector: {} });
    const body = expectStatus(await evict(ns, 'shared'), 500);
    expect(body.message).toBe('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    expect(body.reason).toBeUndefined();
    expect(await podExists(ns, 'shared')).toBe(true);
  });

  it('counts maxUnavailable against the replicas of the pods\' controller', async () => {
    const ns = await createNamespace(plane.client, 'ev-max');
    const rs = await plane.client.create<LooseObj>(`/apis/apps/v1/namespaces/${ns}/replicasets`, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-rs' },
      spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    const owner = { kind: 'ReplicaSet', name: 'web-rs', uid: rs.metadata.uid! };
    for (const name of ['r-1', 'r-2', 'r-3', 'r-4']) await createPod(ns, name, { owner });
    await createBudget(ns, 'max', { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } });
    expect((await evict(ns, 'r-1')).status).toBe(201);
    expect(expectViolation(await evict(ns, 'r-2'))).toBe('The disruption budget max needs 3 healthy pods and has 3 currently');
    expect((await getBudget(ns, 'max')).status).toMatchObject({ expectedPods: 4, desiredHealthy: 3 });

    // A pod whose controller is gone cannot be counted: the budget is "still being processed".
    await createPod(ns, 'orphan', { app: 'lost', owner: { kind: 'ReplicaSet', name: 'gone', uid: 'no-such-uid' } });
    await createBudget(ns, 'lost', { maxUnavailable: 1, selector: { matchLabels: { app: 'lost' } } });
    const res = await evict(ns, 'orphan');
    expect(expectViolation(res)).toBe('The disruption budget lost is still being processed by the server.');
    expect(res.headers.get('retry-after')).toBe('10');
  });

  it('lets only one of two concurrent evictions take the last disruption', async () => {
    const ns = await createNamespace(plane.client, 'ev-race');
    for (const name of ['p-1', 'p-2', 'p-3']) await createPod(ns, name);
    await createBudget(ns, 'one-at-a-time', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } });
    const answers = await Promise.all([evict(ns, 'p-1'), evict(ns, 'p-2')]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 429]);
    const remaining = [await podExists(ns, 'p-1'), await podExists(ns, 'p-2')];
    expect(remaining.filter(Boolean)).toHaveLength(1);
  });

  it('uses the budget\'s status when a controller keeps it current', async () => {
    const ns = await createNamespace(plane.client, 'ev-current');
    for (const name of ['c-1', 'c-2']) await createPod(ns, name);
    const budget = await createBudget(ns, 'kept', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } });
    // Live pods allow nothing (2 healthy, 2 desired), but the controller's status says 1.
    const kept = { observedGeneration: budget.metadata.generation, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 };
    await plane.client.update(`${paths(ns).budget('kept')}/status`, { ...budget, status: kept });
    expect((await evict(ns, 'c-1')).status).toBe(201);
    const after = await getBudget(ns, 'kept');
    expect(after.status).toMatchObject({ ...kept, disruptionsAllowed: 0 });
    expect(Object.keys(after.status.disruptedPods)).toEqual(['c-1']);
    expect(after.status.conditions).toMatchObject([{ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', observedGeneration: budget.metadata.generation }]);
    expect(expectViolation(await evict(ns, 'c-2'))).toBe('The disruption budget kept needs 2 healthy pods and has 3 currently');
  });
});

describe('kubectl and budgets', () => {
  it('kubectl delete ignores budgets; kubectl drain evicts, and waits on a budget', async () => {
    const ns = await createNamespace(plane.client, 'ev-kubectl');
    await plane.client.create('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: `${ns}-node` } });
    for (const name of ['k-1', 'k-2', 'k-3']) await createPod(ns, name, { nodeName: `${ns}-node` });
    await createBudget(ns, 'guard', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } });

    const deleted = await kubectl.get().run(['delete', 'pod', 'k-3', '-n', ns, '--grace-period=0', '--force']);
    expect(deleted.code).toBe(0);
    expect(await podExists(ns, 'k-3')).toBe(false);

    // Two pods, two desired: drain evicts neither and gives up at its timeout.
    const held = await kubectl.get().run(['drain', `${ns}-node`, '--force', '--grace-period=0', '--timeout=2s']);
    expect(held.code).not.toBe(0);
    expect(held.stderr).toContain(violation);
    expect(await podExists(ns, 'k-1')).toBe(true);

    await plane.client.patch(paths(ns).budget('guard'), { spec: { minAvailable: 0 } });
    const drained = await kubectl.get().run(['drain', `${ns}-node`, '--force', '--grace-period=0', '--timeout=30s']);
    expect(drained.code).toBe(0);
    expect(drained.stdout).toContain(`pod/k-1 evicted`);
    expect(drained.stdout).toContain(`pod/k-2 evicted`);
    expect(await podExists(ns, 'k-1')).toBe(false);
    expect(await podExists(ns, 'k-2')).toBe(false);
  }, 60_000);
});
