/** kubectl describe of a pod and a deployment, showing their events. */
import { useCluster } from './e2e';

const cluster = useCluster();

interface Meta {
  metadata: { name: string; namespace: string; uid: string };
}

async function event(involved: Meta & { kind: string; apiVersion: string }, reason: string, message: string, type = 'Normal'): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await cluster.plane.client.create('/api/v1/namespaces/default/events', {
    metadata: { generateName: `${involved.metadata.name}.` },
    involvedObject: { kind: involved.kind, apiVersion: involved.apiVersion, name: involved.metadata.name, namespace: involved.metadata.namespace, uid: involved.metadata.uid },
    reason,
    message,
    type,
    source: { component: 'e2e-test' },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  });
}

describe('kubectl describe', () => {
  it('describes a pod with its events', async () => {
    const pod = await cluster.plane.client.create<Meta>('/api/v1/namespaces/default/pods', {
      metadata: { name: 'described', labels: { app: 'd' } },
      spec: { containers: [{ name: 'app', image: 'busybox:1.36', ports: [{ containerPort: 8080 }] }] },
    });
    await event({ ...pod, kind: 'Pod', apiVersion: 'v1' }, 'Scheduled', 'Successfully assigned default/described to node-1');
    await event({ ...pod, kind: 'Pod', apiVersion: 'v1' }, 'BackOff', 'Back-off pulling image', 'Warning');
    const out = await cluster.ok(['describe', 'pod', 'described']);
    expect(out).toMatch(/^Name:\s+described$/m);
    expect(out).toMatch(/^Namespace:\s+default$/m);
    expect(out).toMatch(/^Labels:\s+app=d$/m);
    expect(out).toMatch(/^Status:\s+Pending$/m);
    expect(out).toMatch(/Image:\s+busybox:1\.36/);
    expect(out).toMatch(/^Events:/m);
    expect(out).toMatch(/Normal\s+Scheduled\s+\S+\s+e2e-test\s+Successfully assigned default\/described to node-1/);
    expect(out).toMatch(/Warning\s+BackOff\s+\S+\s+e2e-test\s+Back-off pulling image/);
  });

  it('describes a deployment with its events', async () => {
    const deploy = await cluster.plane.client.create<Meta>('/apis/apps/v1/namespaces/default/deployments', {
      metadata: { name: 'described' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'dd' } }, template: { metadata: { labels: { app: 'dd' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
    });
    await event({ ...deploy, kind: 'Deployment', apiVersion: 'apps/v1' }, 'ScalingReplicaSet', 'Scaled up replica set described-abc to 2');
    const out = await cluster.ok(['describe', 'deployment', 'described']);
    expect(out).toMatch(/^Name:\s+described$/m);
    expect(out).toMatch(/^Replicas:\s+2 desired/m);
    expect(out).toMatch(/^StrategyType:\s+RollingUpdate$/m);
    expect(out).toMatch(/Normal\s+ScalingReplicaSet\s+\S+\s+e2e-test\s+Scaled up replica set described-abc to 2/);
  });
});
