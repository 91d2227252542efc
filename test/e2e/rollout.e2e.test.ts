/**
 * Rollouts with the real kubectl: the ReplicaSet and Deployment controllers run in-process next
 * to the control plane, and a pod runner plays scheduler and kubelets (binds pods, reports them
 * Running and Ready, finishes their deletion). kubectl create/apply a Deployment, `rollout
 * status` until it succeeds, `set image`, `rollout history` (with CHANGE-CAUSE), `rollout undo`
 * (client-side in kubectl 1.32), `rollout pause/resume`, `rollout restart`, `scale`, and what
 * `get` and `describe` show of it.
 */
import type { ReplicaSet } from '../../api/kinds/apps/replicaSet';
import type { Pod } from '../../api/kinds/core/pod';
import { register as registerDeployment } from '../../controllers/deployment';
import { register as registerReplicaSet } from '../../controllers/replicaset';
import type { Manager } from '../../controllers/runtime/manager';
import { createNamespace, uniqueName } from '../client/helpers';
import { imagesOf, startPodRunner, type PodRunner } from '../controllers/podRunner';
import { podsGvr, replicaSetsGvr, startManagerWith } from '../controllers/workloadHarness';
import { until, useCluster } from './e2e';

const cluster = useCluster();

describe('kubectl rollout (e2e)', () => {
  let manager: Manager;
  const runners: PodRunner[] = [];

  beforeAll(async () => {
    ({ manager } = startManagerWith(cluster.plane.url, [registerReplicaSet, registerDeployment]));
    await manager.start();
  });
  afterAll(async () => {
    await manager?.stop();
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });

  const namespace = async (prefix: string): Promise<string> => {
    const ns = uniqueName(prefix);
    await createNamespace(cluster.plane.client, ns);
    runners.push(await startPodRunner(cluster.plane.client, { namespace: ns }));
    return ns;
  };
  const pods = async (ns: string): Promise<Pod[]> => (await cluster.plane.client.resource<Pod>(podsGvr, ns).list()).items.filter((p) => !p.metadata?.deletionTimestamp);
  const replicaSets = async (ns: string): Promise<ReplicaSet[]> => (await cluster.plane.client.resource<ReplicaSet>(replicaSetsGvr, ns).list()).items;
  const rolloutStatus = (ns: string, name = 'web') => cluster.ok(['rollout', 'status', `deployment/${name}`, '-n', ns, '--timeout=60s']);
  const allPodsRun = (ns: string, image: string, count: number) =>
    until(`${count} pods of ${image}`, async () => {
      const list = await pods(ns);
      return list.length === count && list.every((p) => imagesOf(p)[0] === image) ? true : undefined;
    });

  const manifest = (ns: string, image: string, replicas = 3) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  strategy:
    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: ${image}
`;

  it('create deployment, then rollout status returns once the pods are ready', async () => {
    const ns = await namespace('kc-create');
    expect(await cluster.ok(['create', 'deployment', 'hello', '--image=nginx:1', '--replicas=2', '-n', ns])).toBe('deployment.apps/hello created\n');
    const out = await rolloutStatus(ns, 'hello');
    expect(out).toMatch(/deployment "hello" successfully rolled out\n$/);
    const get = await cluster.ok(['get', 'deployment', 'hello', '-n', ns]);
    expect(get).toMatch(/^hello\s+2\/2\s+2\s+2\s+/m);
    const rs = await cluster.ok(['get', 'rs', '-n', ns, '-o', 'name']);
    expect(rs).toMatch(/^replicaset\.apps\/hello-[bcdfghjklmnpqrstvwxz2456789]+\n$/);
  });

  it('apply, set image, history with CHANGE-CAUSE, undo, undo --to-revision', async () => {
    const ns = await namespace('kc-roll');
    expect(await cluster.ok(['apply', '-f', '-'], manifest(ns, 'nginx:1'))).toBe('deployment.apps/web created\n');
    await rolloutStatus(ns);
    await cluster.ok(['annotate', 'deployment/web', '-n', ns, 'kubernetes.io/change-cause=first version']);

    expect(await cluster.ok(['set', 'image', 'deployment/web', 'app=nginx:2', '-n', ns])).toBe('deployment.apps/web image updated\n');
    expect(await rolloutStatus(ns)).toMatch(/deployment "web" successfully rolled out\n$/);
    await cluster.ok(['annotate', 'deployment/web', '-n', ns, '--overwrite', 'kubernetes.io/change-cause=to nginx:2']);
    await allPodsRun(ns, 'nginx:2', 3);

    const history = await until('the change cause on revision 2', async () => {
      const out = await cluster.ok(['rollout', 'history', 'deployment/web', '-n', ns]);
      return /^2\s+to nginx:2$/m.test(out) ? out : undefined;
    });
    expect(history).toMatch(/^deployment\.apps\/web\s*$/m);
    expect(history).toMatch(/^REVISION\s+CHANGE-CAUSE$/m);
    expect(history).toMatch(/^1\s+first version$/m);
    const rev2 = await cluster.ok(['rollout', 'history', 'deployment/web', '-n', ns, '--revision=2']);
    expect(rev2).toMatch(/Image:\s+nginx:2/);

    expect(await cluster.ok(['rollout', 'undo', 'deployment/web', '-n', ns])).toBe('deployment.apps/web rolled back\n');
    await rolloutStatus(ns);
    await allPodsRun(ns, 'nginx:1', 3);
    const afterUndo = await cluster.ok(['rollout', 'history', 'deployment/web', '-n', ns]);
    expect(afterUndo).toMatch(/^2\s+to nginx:2$/m);
    expect(afterUndo).toMatch(/^3\s+first version$/m);
    expect(afterUndo).not.toMatch(/^1\s/m);
    expect(await replicaSets(ns)).toHaveLength(2); // revision 1's ReplicaSet came back as revision 3

    expect(await cluster.ok(['rollout', 'undo', 'deployment/web', '-n', ns, '--to-revision=2'])).toBe('deployment.apps/web rolled back\n');
    await rolloutStatus(ns);
    await allPodsRun(ns, 'nginx:2', 3);
    const skipped = await cluster.ok(['rollout', 'undo', 'deployment/web', '-n', ns, '--to-revision=4']);
    expect(skipped).toMatch(/skipped rollback \(current template already matches revision 4\)/);

    const describe = await cluster.ok(['describe', 'deployment', 'web', '-n', ns]);
    expect(describe).toMatch(/^Annotations:\s+deployment\.kubernetes\.io\/revision: 4$/m);
    expect(describe).toMatch(/^Replicas:\s+3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable$/m);
    expect(describe).toMatch(/Available\s+True\s+MinimumReplicasAvailable/);
    expect(describe).toMatch(/Progressing\s+True\s+NewReplicaSetAvailable/);
    expect(describe).toMatch(/^NewReplicaSet:\s+web-\w+ \(3\/3 replicas created\)$/m);
    expect(describe).toMatch(/Normal\s+ScalingReplicaSet\s+.*Scaled up replica set web-\w+ from 0 to 1/);
  });

  it('rollout pause holds a change until resume', async () => {
    const ns = await namespace('kc-pause');
    await cluster.ok(['apply', '-f', '-'], manifest(ns, 'nginx:1', 2));
    await rolloutStatus(ns);
    expect(await cluster.ok(['rollout', 'pause', 'deployment/web', '-n', ns])).toBe('deployment.apps/web paused\n');
    await cluster.ok(['set', 'image', 'deployment/web', 'app=nginx:2', '-n', ns]);
    await until('the paused condition', async () => {
      const out = await cluster.ok(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}']);
      return out === 'DeploymentPaused' ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(await replicaSets(ns)).toHaveLength(1);
    expect((await pods(ns)).every((p) => imagesOf(p)[0] === 'nginx:1')).toBe(true);

    expect(await cluster.ok(['rollout', 'resume', 'deployment/web', '-n', ns])).toBe('deployment.apps/web resumed\n');
    await rolloutStatus(ns);
    await allPodsRun(ns, 'nginx:2', 2);
  });

  it('rollout restart replaces every pod; scale resizes', async () => {
    const ns = await namespace('kc-restart');
    await cluster.ok(['apply', '-f', '-'], manifest(ns, 'nginx:1', 2));
    await rolloutStatus(ns);
    const before = new Set((await pods(ns)).map((p) => p.metadata!.uid!));
    expect(await cluster.ok(['rollout', 'restart', 'deployment/web', '-n', ns])).toBe('deployment.apps/web restarted\n');
    await rolloutStatus(ns);
    const after = await until('every pod replaced', async () => {
      const list = await pods(ns);
      return list.length === 2 && list.every((p) => !before.has(p.metadata!.uid!)) ? list : undefined;
    });
    expect(after.every((p) => p.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'])).toBe(true);

    expect(await cluster.ok(['scale', 'deployment/web', '--replicas=5', '-n', ns])).toBe('deployment.apps/web scaled\n');
    await rolloutStatus(ns);
    expect(await cluster.ok(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.status.availableReplicas}'])).toBe('5');
    expect(await cluster.ok(['scale', 'deployment/web', '--replicas=1', '--current-replicas=5', '-n', ns])).toBe('deployment.apps/web scaled\n');
    await rolloutStatus(ns);
    await until('one pod', async () => ((await pods(ns)).length === 1 ? true : undefined));
    const rs = await cluster.ok(['get', 'rs', '-n', ns]);
    expect(rs).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE$/m);
    expect(rs).toMatch(/^web-\w+\s+1\s+1\s+1\s+/m);
    expect(rs).toMatch(/^web-\w+\s+0\s+0\s+0\s+/m);
  });
});
