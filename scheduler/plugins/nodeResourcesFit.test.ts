import { computePodRequests } from '../framework/resources';
import { factory, fits, name, parseArgs } from './nodeResourcesFit';
import { filterOne, makeHandle, makeNode, makeNodeInfo, makePod, nodeInfos, runFilter, scoreMap } from './testing';

const handle = makeHandle([]);
const plugin = factory(undefined, handle);
const Gi = 1024 ** 3;

/** A node with 4 cpu, 8Gi, 20Gi of ephemeral-storage, 2 GPUs and 10 pods, running `pods`. */
function node(pods: ReturnType<typeof makePod>[] = [], alloc: Record<string, string | number> = {}) {
  const n = makeNode('n').capacity({ cpu: '4', memory: '8Gi', 'ephemeral-storage': '20Gi', 'nvidia.com/gpu': 2, pods: 10, ...alloc }).obj();
  return makeNodeInfo(n, pods.map((p) => p.obj()));
}

describe('NodeResourcesFit filter', () => {
  it('is named as in Kubernetes', () => expect(plugin.name).toBe(name));

  it('accepts a pod whose requests fit in what is left', () => {
    expect(filterOne(plugin, makePod('p').req({ cpu: '1', memory: '1Gi' }).obj(), node([makePod('a').req({ cpu: '3', memory: '7Gi' })]))).toBe('Success');
  });

  it('rejects with one reason per insufficient resource', () => {
    const existing = [makePod('a').req({ cpu: '3500m', memory: '7Gi' })];
    expect(filterOne(plugin, makePod('p').req({ cpu: '1', memory: '1Gi' }).obj(), node(existing))).toBe('Unschedulable: Insufficient cpu');
    expect(filterOne(plugin, makePod('p').req({ cpu: '1', memory: '2Gi' }).obj(), node(existing))).toBe('Unschedulable: Insufficient cpu; Insufficient memory');
  });

  it('is unresolvable when a request exceeds the whole node (preemption cannot help)', () => {
    expect(filterOne(plugin, makePod('p').req({ cpu: '5' }).obj(), node())).toBe('UnschedulableAndUnresolvable: Insufficient cpu');
    expect(filterOne(plugin, makePod('p').req({ 'nvidia.com/gpu': 3 }).obj(), node())).toBe('UnschedulableAndUnresolvable: Insufficient nvidia.com/gpu');
  });

  it('checks ephemeral-storage', () => {
    const existing = [makePod('a').req({ 'ephemeral-storage': '15Gi' })];
    expect(filterOne(plugin, makePod('p').req({ 'ephemeral-storage': '6Gi' }).obj(), node(existing))).toBe('Unschedulable: Insufficient ephemeral-storage');
    expect(filterOne(plugin, makePod('p').req({ 'ephemeral-storage': '5Gi' }).obj(), node(existing))).toBe('Success');
  });

  it('checks extended resources such as nvidia.com/gpu', () => {
    const existing = [makePod('a').req({ 'nvidia.com/gpu': 1 })];
    expect(filterOne(plugin, makePod('p').req({ 'nvidia.com/gpu': 1 }).obj(), node(existing))).toBe('Success');
    expect(filterOne(plugin, makePod('p').req({ 'nvidia.com/gpu': 2 }).obj(), node(existing))).toBe('Unschedulable: Insufficient nvidia.com/gpu');
    // A node without the resource at all.
    const plain = makeNodeInfo(makeNode('m').capacity({ cpu: '4', memory: '8Gi', pods: 10 }).obj());
    expect(filterOne(plugin, makePod('p').req({ 'example.com/foo': 1 }).obj(), plain)).toBe('UnschedulableAndUnresolvable: Insufficient example.com/foo');
  });

  it('ignores the extended resources and groups named in args', () => {
    const ignoring = factory({ ignoredResources: ['example.com/foo'], ignoredResourceGroups: ['vendor.io'] }, handle);
    const pod = makePod('p').req({ 'example.com/foo': 1, 'vendor.io/bar': 5 }).obj();
    expect(filterOne(ignoring, pod, node())).toBe('Success');
    expect(filterOne(ignoring, makePod('q').req({ 'example.com/baz': 1 }).obj(), node())).toBe('UnschedulableAndUnresolvable: Insufficient example.com/baz');
  });

  it('limits the pod count to allocatable pods, even for pods without requests', () => {
    const full = node([makePod('a'), makePod('b')], { pods: 2 });
    expect(filterOne(plugin, makePod('p').obj(), full)).toBe('Unschedulable: Too many pods');
    expect(filterOne(plugin, makePod('p').req({ cpu: '5' }).obj(), full)).toBe('UnschedulableAndUnresolvable: Too many pods; Insufficient cpu');
  });

  it('counts init containers: the max of the largest init container and the sum of containers', () => {
    const pod = makePod('p').initReq({ cpu: '3', memory: '1Gi' }).initReq({ cpu: '1', memory: '5Gi' }).req({ cpu: '1', memory: '1Gi' }).req({ cpu: '1', memory: '1Gi' });
    const r = computePodRequests(pod.obj());
    expect([r.milliCPU, r.memory]).toEqual([3000, 5 * Gi]);
    const existing = [makePod('a').req({ cpu: '1500m', memory: '2Gi' })];
    // 3 cpu needed by the first init container; only 2.5 left.
    expect(filterOne(plugin, pod.obj(), node(existing))).toBe('Unschedulable: Insufficient cpu');
  });

  it('counts sidecars (init containers with restartPolicy Always) for the whole pod life', () => {
    // sidecar 1 cpu runs alongside: containers 1 + sidecar 1 = 2; regular init 1.5 after the sidecar: 2.5.
    const pod = makePod('p').initReq({ cpu: '1' }, true).initReq({ cpu: '1500m' }).req({ cpu: '1' }).obj();
    expect(computePodRequests(pod).milliCPU).toBe(2500);
    // A regular init container before the sidecar does not add it.
    const before = makePod('q').initReq({ cpu: '1500m' }).initReq({ cpu: '1' }, true).req({ cpu: '1' }).obj();
    expect(computePodRequests(before).milliCPU).toBe(2000);
    const existing = [makePod('a').req({ cpu: '2' })];
    expect(filterOne(plugin, pod, node(existing))).toBe('Unschedulable: Insufficient cpu');
    expect(filterOne(plugin, before, node(existing))).toBe('Success');
  });

  it('adds the pod overhead', () => {
    const pod = makePod('p').req({ cpu: '1', memory: '1Gi' }).overhead({ cpu: '500m', memory: '1Gi' }).obj();
    expect(computePodRequests(pod)).toMatchObject({ milliCPU: 1500, memory: 2 * Gi });
    const existing = [makePod('a').req({ cpu: '3' })];
    expect(filterOne(plugin, pod, node(existing))).toBe('Unschedulable: Insufficient cpu');
  });

  it('fits() reports what is missing with the numbers', () => {
    const [r] = fits(makePod('p').req({ memory: '9Gi' }).obj(), node());
    expect(r).toEqual({ resourceName: 'memory', reason: 'Insufficient memory', requested: 9 * Gi, used: 0, capacity: 8 * Gi, unresolvable: true });
  });

  it('runs over many nodes with PreFilter state', () => {
    const infos = [node([makePod('a').req({ cpu: '4' })]), makeNodeInfo(makeNode('m').capacity({ cpu: '4', memory: '8Gi', pods: 10 }).obj())];
    expect(runFilter(plugin, makePod('p').req({ cpu: '1' }).obj(), infos)).toEqual({ n: 'Unschedulable: Insufficient cpu', m: 'Success' });
  });
});

describe('NodeResourcesFit args', () => {
  it('defaults to LeastAllocated on cpu and memory with weight 1', () => {
    expect(parseArgs(undefined)).toEqual({
      ignoredResources: [],
      ignoredResourceGroups: [],
      scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] },
    });
  });

  it.each([
    [{ scoringStrategy: { type: 'Random' } }, /Unsupported value: "Random"/],
    [{ scoringStrategy: { resources: [{ name: 'cpu', weight: 0 }] } }, /weight: must be in the range \[1, 100\]/],
    [{ scoringStrategy: { resources: [{ name: 'cpu' }, { name: 'cpu' }] } }, /duplicate resource cpu/],
    [{ scoringStrategy: { type: 'RequestedToCapacityRatio' } }, /requestedToCapacityRatio is required/],
    [{ scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [] } } }, /at least one point/],
    [{ scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 50, score: 1 }, { utilization: 10, score: 2 }] } } }, /sorted in increasing order/],
    [{ scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 50, score: 11 }] } } }, /score: must be an integer in the range \[0, 10\]/],
    [{ ignoredResourceGroups: ['a/b'] }, /can't contain '\/'/],
    [{ ignoredResources: 'x' }, /must be a list of strings/],
  ])('rejects %j', (args, message) => {
    expect(() => factory(args, handle)).toThrow(message);
  });
});

describe('NodeResourcesFit score', () => {
  // Kubernetes' least_allocated_test: two nodes, 4000m/10000 and 6000m/10000 (memory in bytes).
  const infos = () =>
    nodeInfos([makeNode('a').capacity({ cpu: '4', memory: 10000, pods: 10 }).obj(), makeNode('b').capacity({ cpu: '6', memory: 10000, pods: 10 }).obj()], [
      makePod('x').node('a').req({ cpu: '3', memory: 0 }).obj(),
      makePod('y').node('b').req({ cpu: '3', memory: 5000 }).obj(),
    ]);
  const pod = () => makePod('p').req({ cpu: '1', memory: 2000 }).req({ cpu: '2', memory: 3000 }).obj();

  it('LeastAllocated (default) favours free capacity', () => {
    // a: cpu (4000-6000 → over: 0), mem (10000-5000)/10000 → 50 ⇒ 25; b: cpu 0, mem 0 ⇒ 0
    expect(scoreMap(plugin, pod(), infos())).toEqual({ a: 25, b: 0 });
    // A container without requests counts as 100m / 200Mi when scoring.
    const empty = nodeInfos([makeNode('e').capacity({ cpu: '1', memory: '1Gi', pods: 10 }).obj()]);
    // cpu (1000-100)/1000 = 90; memory (1024-200)/1024 Mi = 80 ⇒ 85
    expect(scoreMap(plugin, makePod('q').req({}).obj(), empty)).toEqual({ e: 85 });
  });

  it('MostAllocated favours used capacity', () => {
    const most = factory({ scoringStrategy: { type: 'MostAllocated' } }, handle);
    // a: cpu 6000>4000 → capped 100, mem 5000/10000 → 50 ⇒ 75; b: cpu 6000/6000 100, mem 10000/10000 100 ⇒ 100
    expect(scoreMap(most, pod(), infos())).toEqual({ a: 75, b: 100 });
  });

  it('weights resources', () => {
    const weighted = factory({ scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 3 }, { name: 'memory', weight: 1 }] } }, handle);
    const n = nodeInfos([makeNode('a').capacity({ cpu: '4', memory: 10000, pods: 10 }).obj()]);
    // cpu (4000-1000)/4000 = 75 ×3, memory (10000-5000)/10000 = 50 ×1 ⇒ 275/4 = 68
    expect(scoreMap(weighted, makePod('p').req({ cpu: '1', memory: 5000 }).obj(), n)).toEqual({ a: 68 });
  });

  it('scores an extended resource only when the pod asks for it', () => {
    const gpu = factory({ scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'nvidia.com/gpu', weight: 1 }, { name: 'cpu', weight: 1 }] } }, handle);
    const n = nodeInfos([makeNode('a').capacity({ cpu: '4', 'nvidia.com/gpu': 4, pods: 10 }).obj()]);
    // gpu 2/4 → 50, cpu 1000/4000 → 25 ⇒ 37
    expect(scoreMap(gpu, makePod('p').req({ cpu: '1', 'nvidia.com/gpu': 2 }).obj(), n)).toEqual({ a: 37 });
    // without a gpu request only cpu counts: 25
    expect(scoreMap(gpu, makePod('q').req({ cpu: '1' }).obj(), n)).toEqual({ a: 25 });
  });

  it('RequestedToCapacityRatio follows the shape (scores 0..10 scaled to 0..100)', () => {
    const rtcr = factory(
      { scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }] } } },
      handle,
    );
    const n = nodeInfos([makeNode('a').capacity({ cpu: '4', memory: 10000, pods: 10 }).obj(), makeNode('b').capacity({ cpu: '8', memory: 10000, pods: 10 }).obj()]);
    // a: cpu 2000/4000 = 50% → 50, mem 5000/10000 = 50% → 50 ⇒ 50; b: cpu 25% → 25, mem 50 ⇒ round(37.5) = 38
    expect(scoreMap(rtcr, makePod('p').req({ cpu: '2', memory: 5000 }).obj(), n)).toEqual({ a: 50, b: 38 });
    // A decreasing shape behaves like LeastAllocated; above capacity counts as 100% utilisation.
    const least = factory(
      { scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }] } } },
      handle,
    );
    expect(scoreMap(least, makePod('p').req({ cpu: '2', memory: 5000 }).obj(), n)).toEqual({ a: 50, b: 63 });
    // Utilisation above 100%: the score at 100 (0 here); a resource scoring 0 is left out of the average.
    expect(scoreMap(least, makePod('q').req({ cpu: '10', memory: 5000 }).obj(), n)).toEqual({ a: 50, b: 50 });
  });
});
