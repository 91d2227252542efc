/**
 * The reading verbs against a cluster running a Deployment, a Service, a completed Job and a
 * Node: get (server tables and every output format, selectors, sorting, -A, -w), describe (with
 * events), events, api-resources, explain, version, cluster-info and completion.
 */
import { jobsNamespace, useCliCluster } from './cliCluster';
import { until } from '../e2e/e2e';

const cluster = useCliCluster();

beforeAll(async () => {
  await cluster.file('app.yaml', `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {tier: front}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: app, image: nginx:1, ports: [{containerPort: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: once, namespace: ${jobsNamespace}}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox}]
---
apiVersion: v1
kind: Node
metadata: {name: node-1, labels: {node-role.kubernetes.io/worker: ""}}
status:
  addresses: [{type: InternalIP, address: 10.0.0.1}]
  capacity: {cpu: "4", memory: 8Gi, pods: "110"}
`);
  await cluster.ok(['apply', '-f', 'app.yaml', '--wait', '--timeout=20s']);
}, 40_000);

describe('get', () => {
  it('prints the server\'s table, several types with kind prefixes', async () => {
    const out = await cluster.ok(['get', 'deploy,svc']);
    expect(out).toMatch(/^NAME +READY +UP-TO-DATE +AVAILABLE +AGE\ndeployment\.apps\/web +2\/2 +2 +2 +\d+s\n\nNAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE\nservice\/web +ClusterIP .* 80\/TCP +\d+s\n$/);
    const pods = await cluster.ok(['get', 'pods', '-o', 'wide', '--show-labels', '--sort-by=.metadata.name']);
    const lines = pods.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES +LABELS$/);
    expect(lines.slice(1)).toHaveLength(2);
    for (const l of lines.slice(1)) expect(l).toMatch(/^web-\S+ +1\/1 +Running +0 +\d+s +10\.244\.\S+ +node-1 .*app=web,pod-template-hash=\S+$/);
    expect([...lines.slice(1)].sort()).toEqual(lines.slice(1));
  });

  it('prints json, yaml, name, jsonpath and custom columns', async () => {
    const one = JSON.parse(await cluster.ok(['get', 'deploy', 'web', '-o', 'json']));
    expect(one).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } });
    expect(one.metadata.managedFields).toBeUndefined();
    const list = JSON.parse(await cluster.ok(['get', 'pods', '-o', 'json']));
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' } });
    expect(list.items.map((p: { kind: string }) => p.kind)).toEqual(['Pod', 'Pod']);
    expect(await cluster.ok(['get', 'svc', 'web', '-o', 'yaml'])).toMatch(/^apiVersion: v1\nkind: Service\nmetadata:\n/);
    expect(await cluster.ok(['get', 'deploy,svc', '-o', 'name'])).toBe('deployment.apps/web\nservice/web\n');
    const all = await cluster.ok(['get', 'all', '-o', 'name']);
    for (const name of ['service/web', 'deployment.apps/web']) expect(all).toContain(`${name}\n`);
    expect(all).toMatch(/^pod\/web-/m);
    expect(await cluster.ok(['get', 'pods', '-o', 'jsonpath={range .items[*]}{.spec.containers[0].image}{"\\n"}{end}'])).toBe('nginx:1\nnginx:1\n');
    expect(await cluster.ok(['get', 'deploy', '-o', 'custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas,MISSING:.spec.nothing'])).toBe('NAME   REPLICAS   MISSING\nweb    2          <none>\n');
  });

  it('selects by label and field, across namespaces with -A', async () => {
    expect(await cluster.ok(['get', 'deploy', '-l', 'tier=front', '-o', 'name'])).toBe('deployment.apps/web\n');
    expect(await cluster.run(['get', 'deploy', '-l', 'tier=back'])).toEqual({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
    expect(await cluster.ok(['get', 'pods', '--field-selector=status.phase=Succeeded', '-n', jobsNamespace, '-o', 'jsonpath={.items[*].status.phase}'])).toBe('Succeeded');
    const all = await cluster.ok(['get', 'jobs', '-A']);
    expect(all).toMatch(/^NAMESPACE +NAME +STATUS +COMPLETIONS +DURATION +AGE\njobs +once +Complete +1\/1 /);
    expect(await cluster.run(['get', 'deploy', 'nope'])).toEqual({ code: 1, stdout: '', stderr: 'error: deployments.apps "nope" not found\n' });
    expect(await cluster.run(['get', 'deploy', 'nope', '--ignore-not-found'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await cluster.run(['get', 'gizmos'])).toEqual({ code: 1, stdout: '', stderr: 'error: the server doesn\'t have a resource type "gizmos"\n' });
    expect((await cluster.run(['get', 'pods', '-o', 'toml'])).code).toBe(2);
  });

  it('watches with -w until interrupted', async () => {
    const { io, done } = cluster.start(['get', 'configmaps', '-w', '-l', 'watched=yes']);
    // The header is printed once the list is read; the watch starts from that list's resourceVersion.
    await until('the watch to list', async () => (io.stdout.text().startsWith('NAME') ? true : undefined));
    await cluster.ok(['create', 'configmap', 'seen', '--from-literal=a=1']);
    await cluster.ok(['label', 'cm', 'seen', 'watched=yes']);
    await until('the watch to print the object', async () => (io.stdout.text().includes('seen') ? true : undefined), 5000).catch((err: Error) => {
      throw new Error(`${err.message}; it printed: ${io.stdout.text()}${io.stderr.text()}`);
    });
    io.abort();
    expect(await done).toBe(0);
    expect(io.stdout.text()).toMatch(/^NAME +DATA +AGE\nseen +1 +\d+s\n/);
  });
});

describe('describe', () => {
  it('describes a Deployment with its ReplicaSet and events', async () => {
    const out = await cluster.ok(['describe', 'deploy', 'web']);
    expect(out).toMatch(/^Name: +web\nNamespace: +default\nCreationTimestamp: .*\nLabels: +tier=front\nAnnotations: +deployment\.kubernetes\.io\/revision=1\nSelector: +app=web\nReplicas: +2 desired \| 2 updated \| 2 total \| 2 available \| 0 unavailable\n/);
    expect(out).toContain('NewReplicaSet:   web-');
    expect(out).toMatch(/Events:\n  Type +Reason +Age +From +Message\n  ---- +------ +--- +---- +-------\n  Normal +ScalingReplicaSet +\d+s +deployment-controller +Scaled up replica set web-\S+ from 0 to 2\n$/);
    expect(out).not.toContain('last-applied-configuration');
  });

  it('describes pods by name prefix, ReplicaSets, Services, Jobs and Nodes', async () => {
    const pods = await cluster.ok(['describe', 'pods', 'web-']);
    expect(pods.match(/^Name: /gm)).toHaveLength(2);
    expect(pods).toMatch(/Status: +Running\n/);
    expect(pods).toMatch(/Controlled By: +ReplicaSet\/web-/);
    expect(pods).toMatch(/ {4}State: +Running\n/);
    expect(await cluster.ok(['describe', 'rs'])).toMatch(/Pods Status: +2 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed\n/);
    expect(await cluster.ok(['describe', 'svc/web'])).toMatch(/Selector: +app=web\nType: +ClusterIP\n/);
    const job = await cluster.ok(['describe', 'job', 'once', '-n', jobsNamespace]);
    expect(job).toMatch(/Pods Statuses: +0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed\n/);
    expect(job).toMatch(/Normal +Completed +\d+s +job-controller +Job completed/);
    const node = await cluster.ok(['describe', 'node', 'node-1']);
    expect(node).toMatch(/Roles: +worker\n/);
    expect(node).toMatch(/Non-terminated Pods: +\(2 in total\)\n/);
    expect(await cluster.run(['describe', 'nodes', 'zzz'])).toEqual({ code: 1, stdout: '', stderr: 'error: nodes "zzz" not found\n' });
  });
});

describe('events, discovery and the rest', () => {
  it('lists events oldest first, for one object and by type', async () => {
    const all = await cluster.ok(['events']);
    expect(all).toMatch(/^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE\n/);
    expect(all).toContain('deployment/web');
    const rs = await cluster.ok(['events', '--for', 'deploy/web', '--no-headers']);
    expect(rs.trimEnd().split('\n')).toHaveLength(1);
    expect(await cluster.run(['events', '--types=Warning'])).toEqual({ code: 0, stdout: '', stderr: 'No events found in default namespace.\n' });
  });

  it('lists api-resources and explains fields', async () => {
    const resources = await cluster.ok(['api-resources']);
    expect(resources).toMatch(/^NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND\n/);
    expect(resources).toMatch(/\ndeployments +deploy +apps\/v1 +true +Deployment\n/);
    expect(await cluster.ok(['api-resources', '--namespaced=false', '--api-group=', '-o', 'name'])).toBe('namespaces\nnodes\n');
    const explain = await cluster.ok(['explain', 'deployment.spec.replicas']);
    expect(explain).toMatch(/^GROUP: +apps\nKIND: +Deployment\nVERSION: +v1\n\nFIELD: replicas <integer>\n\nDESCRIPTION:\n {4}Number of desired pods/);
    expect(await cluster.ok(['explain', 'pods'])).toMatch(/^KIND: +Pod\nVERSION: +v1\n\nDESCRIPTION:\n[\s\S]*\nFIELDS:\n  apiVersion\t<string>\n/);
    expect(await cluster.run(['explain', 'pods.spec.nope'])).toMatchObject({ code: 1, stderr: 'error: field "nope" does not exist\n' });
  });

  it('prints versions, the cluster address and completion scripts', async () => {
    expect(await cluster.ok(['version'])).toMatch(/^Client Version: v\S+\nServer Version: v\S+\n$/);
    expect(JSON.parse(await cluster.ok(['version', '--client', '-o', 'json']))).toEqual({ clientVersion: expect.objectContaining({ gitVersion: expect.any(String) }) });
    expect(await cluster.ok(['cluster-info'])).toBe(`Kubernetes control plane is running at ${cluster.plane.url} (v1.32.0)\n`.replace('v1.32.0', (await cluster.plane.client.get<{ gitVersion: string }>('/version')).gitVersion));
    // Colour only on a terminal, and not with NO_COLOR.
    expect(await cluster.ok(['cluster-info'], { tty: true })).toMatch(/^\x1b\[32mKubernetes control plane\x1b\[0m is running at \x1b\[33mhttp/);
    expect(await cluster.ok(['cluster-info'], { tty: true, env: { NO_COLOR: '1' } })).not.toContain('\x1b[');
    const bash = await cluster.ok(['completion', 'bash']);
    expect(bash).toContain('complete -o default -F _marina marina');
    expect(bash).toMatch(/compgen -W "apply get describe/);
    expect(await cluster.ok(['completion', 'zsh'])).toMatch(/^#compdef marina\n/);
    expect((await cluster.run(['completion', 'fish'])).code).toBe(2);
  });
});
