/**
 * Two profiles in one scheduler, side by side: default-scheduler spreads (LeastAllocated),
 * bin-packer packs (MostAllocated, no BalancedAllocation); each pod gets the profile its
 * spec.schedulerName names.
 */
import { useControlPlane } from '../harness/apiserver';
import { parseSchedulerConfiguration } from '../../scheduler/config/load';
import type { SchedulerServer } from '../../scheduler/server';
import { createNamespace, createNode, createPod, startScheduler, waitForBound } from './helpers';

const plane = useControlPlane();
let sched: SchedulerServer;

const config = parseSchedulerConfiguration(`
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
- schedulerName: bin-packer
  plugins:
    score:
      disabled:
      - name: NodeResourcesBalancedAllocation
      - name: ImageLocality
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
`);

beforeAll(async () => {
  for (let i = 0; i < 4; i++) await createNode(plane.client, `n${i}`, { cpu: '8', memory: '16Gi' });
  await createNamespace(plane.client, 'profiles');
  sched = await startScheduler(plane.url, config);
}, 30_000);
afterAll(async () => {
  await sched?.stop();
});

describe('profiles', () => {
  it('spreads default-scheduler pods and packs bin-packer pods, side by side', async () => {
    // One packed pod first, so MostAllocated has a fuller node to prefer.
    await createPod(plane.client, 'profiles', 'pack-0', { cpu: '1', memory: '1Gi', schedulerName: 'bin-packer' });
    const first = await waitForBound(plane.client, 'profiles', 'pack-0');
    for (let i = 1; i < 5; i++) await createPod(plane.client, 'profiles', `pack-${i}`, { cpu: '1', memory: '1Gi', schedulerName: 'bin-packer' });
    const packed = await Promise.all([1, 2, 3, 4].map((i) => waitForBound(plane.client, 'profiles', `pack-${i}`)));
    expect(new Set(packed)).toEqual(new Set([first]));

    for (let i = 0; i < 3; i++) await createPod(plane.client, 'profiles', `spread-${i}`, { cpu: '1', memory: '1Gi' });
    const spread = await Promise.all([0, 1, 2].map((i) => waitForBound(plane.client, 'profiles', `spread-${i}`)));
    expect(new Set(spread).size).toBe(3);
    expect(spread).not.toContain(first);
    expect(sched.metrics.render()).toMatch(/scheduler_schedule_attempts_total\{profile="bin-packer",result="scheduled"\} 5/);
  });
});
