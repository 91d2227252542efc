/**
 * The node agent on the real containerd runtime (kubelet/runtime/ctr) with a pod network: a
 * two-container pod whose containers talk on localhost, an httpd probed at its pod IP from the
 * host, logs and exec through kubectl, and graceful deletion.
 */
import type { Pod } from '../../api/kinds/core/pod';
import { RestClient } from '../../client/restClient';
import { startKubelet, type RunningKubelet } from '../../kubelet/kubelet';
import { useControlPlane } from '../harness/apiserver';
import { useCtrRuntime } from '../harness/containerd';
import { useKubectl } from '../harness/kubectl';
import { tempDir } from '../harness/tmp';
import { createPod, eventually, isReady, podOn, uniqueName, waitForGone, waitForPod } from './agentHarness';

const plane = useControlPlane();
const kubectl = useKubectl(() => plane.url);
const rt = useCtrRuntime();
const node = 'node-real';
let kubelet: RunningKubelet;
let rootDir: string;
let removeRoot: () => Promise<void>;

const start = (runtime = rt.runtime) => startKubelet({ client: new RestClient({ server: plane.url, rateLimit: false }), nodeName: node, runtime, rootDir, port: 0, podCIDR: rt.podCidr });

beforeAll(async () => {
  const root = await tempDir('kubelet-real');
  rootDir = root.path;
  removeRoot = root.remove;
  kubelet = await start();
}, 60_000);
afterAll(async () => {
  await kubelet?.stop();
  await removeRoot?.();
}, 60_000);

test('a two-container pod: httpd ready at its pod IP, the other container reaches it on localhost; logs and exec via kubectl; graceful deletion', async () => {
  const name = uniqueName('web');
  const image = rt.image;
  await createPod(
    plane.client,
    'default',
    podOn(node, name, {
      terminationGracePeriodSeconds: 5,
      containers: [
        {
          name: 'web',
          image,
          imagePullPolicy: 'IfNotPresent', // imported, not in a registry (":latest" would mean Always)
          command: ['sh', '-c', 'mkdir -p /www && echo hello-from-web > /www/index.html && echo serving && exec httpd -f -p 8080 -h /www'],
          readinessProbe: { httpGet: { port: 8080, path: '/' }, periodSeconds: 1 },
        },
        { name: 'client', image, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'] },
      ],
    }),
  );
  const pod = await waitForPod(plane.client, 'default', name, 'ready', isReady, 60_000);
  const prefix = rt.podCidr.split('.').slice(0, 3).join('.');
  expect(pod.status?.podIP?.startsWith(`${prefix}.`)).toBe(true);
  expect(pod.status?.containerStatuses?.every((c) => c.containerID?.startsWith('containerd://'))).toBe(true);

  const fromClient = await kubectl.get().run(['exec', name, '-c', 'client', '--', 'wget', '-q', '-O', '-', 'http://127.0.0.1:8080/']);
  expect(fromClient).toMatchObject({ code: 0, stdout: 'hello-from-web\n' });
  const fromHost = await fetch(`http://${pod.status!.podIP}:8080/`);
  expect(await fromHost.text()).toBe('hello-from-web\n');
  expect((await kubectl.get().run(['logs', name, '-c', 'web'])).stdout).toBe('serving\n');
  const failed = await kubectl.get().run(['exec', name, '-c', 'client', '--', 'sh', '-c', 'exit 7']);
  expect(failed.code).toBe(7);

  const started = Date.now();
  await plane.client.delete(`/api/v1/namespaces/default/pods/${name}`);
  await waitForGone(plane.client, 'default', name, 30_000);
  expect(Date.now() - started).toBeLessThan(15_000);
  expect((await rt.runtime.listSandboxes()).some((s) => s.podUid === pod.metadata?.uid)).toBe(false);
}, 120_000);

test('a container over its memory limit is OOM-killed (reason OOMKilled) and restarted', async () => {
  const name = uniqueName('oom');
  await createPod(
    plane.client,
    'default',
    podOn(node, name, {
      restartPolicy: 'OnFailure',
      containers: [{ name: 'main', image: rt.image, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'head -c 200m /dev/zero | tail'], resources: { limits: { memory: '20Mi' } } }],
    }),
  );
  const pod = await waitForPod(
    plane.client,
    'default',
    name,
    'OOM-killed',
    (p) => {
      const s = p.status?.containerStatuses?.[0];
      return s?.state?.terminated?.reason === 'OOMKilled' || s?.lastState?.terminated?.reason === 'OOMKilled';
    },
    60_000,
  );
  const s = pod.status!.containerStatuses![0]!;
  expect((s.state?.terminated ?? s.lastState?.terminated)?.exitCode).toBe(137);
  await waitForPod(plane.client, 'default', name, 'restarted', (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 30_000);
  await plane.client.delete(`/api/v1/namespaces/default/pods/${name}`, { gracePeriodSeconds: 0 });
}, 90_000);

test('an agent killed and restarted leaves its pods running and untouched', async () => {
  const name = uniqueName('keep');
  await createPod(plane.client, 'default', podOn(node, name, { containers: [{ name: 'main', image: rt.image, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] }));
  const before = await waitForPod(plane.client, 'default', name, 'ready', isReady, 60_000);
  const id = before.status!.containerStatuses![0]!.containerID;
  await kubelet.stop();
  kubelet = await start(await rt.restarted());
  // Once the new agent has synced the pod, it is as it was.
  await eventually('a sync by the new agent', () => (kubelet.agents[0]!.syncs >= 1 ? true : undefined));
  await kubelet.agents[0]!.idle();
  const after = await waitForPod(plane.client, 'default', name, 'still ready', (p) => isReady(p) && p.status?.containerStatuses?.[0]?.containerID === id);
  expect(after.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 0, containerID: id });
  expect(after.status?.containerStatuses?.[0]?.state?.running?.startedAt).toBe(before.status?.containerStatuses?.[0]?.state?.running?.startedAt);
  await kubelet.agents[0]!.idle();
  const infos = (await rt.runtime.listContainers()).filter((c) => c.labels['io.kubernetes.pod.uid'] === before.metadata?.uid);
  expect(infos.map((c) => [`containerd://${c.id}`, c.state])).toEqual([[id, 'running']]);
}, 90_000);

test('env from a ConfigMap and a Secret, configMap and emptyDir volumes, an init container filling the emptyDir', async () => {
  await plane.client.create('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'real-cm' }, data: { color: 'green', 'app.conf': 'mode=fast\n' } });
  await plane.client.create('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'real-secret' }, data: { token: Buffer.from('t0ken').toString('base64') } });
  const name = uniqueName('cfg');
  const c = { image: rt.image, imagePullPolicy: 'IfNotPresent' as const };
  await createPod(
    plane.client,
    'default',
    podOn(node, name, {
      volumes: [
        { name: 'conf', configMap: { name: 'real-cm' } },
        { name: 'shared', emptyDir: {} },
      ],
      initContainers: [{ name: 'prepare', ...c, command: ['sh', '-c', 'echo prepared > /shared/ready'], volumeMounts: [{ name: 'shared', mountPath: '/shared' }] }],
      containers: [
        {
          name: 'main',
          ...c,
          command: ['sleep', '3600'],
          env: [
            { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'real-cm', key: 'color' } } },
            { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'real-secret', key: 'token' } } },
          ],
          volumeMounts: [
            { name: 'conf', mountPath: '/etc/app', readOnly: true },
            { name: 'shared', mountPath: '/shared' },
          ],
        },
      ],
    }),
  );
  await waitForPod(plane.client, 'default', name, 'ready', isReady, 60_000);
  const out = await kubectl.get().run(['exec', name, '--', 'sh', '-c', 'echo $COLOR $TOKEN; cat /etc/app/app.conf /shared/ready']);
  expect(out).toMatchObject({ code: 0, stdout: 'green t0ken\nmode=fast\nprepared\n' });
  await plane.client.delete(`/api/v1/namespaces/default/pods/${name}`, { gracePeriodSeconds: 0 });
}, 90_000);

test('a failing liveness probe restarts the container; a missing image is ErrImagePull then ImagePullBackOff', async () => {
  const name = uniqueName('live');
  await createPod(
    plane.client,
    'default',
    podOn(node, name, {
      containers: [
        {
          name: 'main',
          image: rt.image,
          imagePullPolicy: 'IfNotPresent',
          command: ['sh', '-c', 'touch /tmp/healthy; sleep 3600'],
          livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 1 },
        },
        { name: 'missing', image: 'marina.local/missing:1.0' },
      ],
    }),
  );
  const seen = new Set<string>();
  await waitForPod(
    plane.client,
    'default',
    name,
    'main running and missing backing off',
    (p) => {
      const reason = p.status?.containerStatuses?.find((s) => s.name === 'missing')?.state?.waiting?.reason;
      if (reason) seen.add(reason);
      return seen.has('ErrImagePull') && seen.has('ImagePullBackOff') && !!p.status?.containerStatuses?.find((s) => s.name === 'main')?.state?.running;
    },
    60_000,
  );
  expect((await kubectl.get().run(['exec', name, '-c', 'main', '--', 'rm', '/tmp/healthy'])).code).toBe(0);
  const restarted = await waitForPod(plane.client, 'default', name, 'restarted', (p) => (p.status?.containerStatuses?.find((s) => s.name === 'main')?.restartCount ?? 0) >= 1, 30_000);
  expect(restarted.status?.containerStatuses?.find((s) => s.name === 'main')?.lastState?.terminated).toBeDefined();
  await plane.client.delete(`/api/v1/namespaces/default/pods/${name}`, { gracePeriodSeconds: 0 });
}, 90_000);

test('a readiness probe gates Ready: not ready until it passes, ready while it passes, not ready again when it fails', async () => {
  const name = uniqueName('ready');
  await createPod(
    plane.client,
    'default',
    podOn(node, name, {
      containers: [{ name: 'main', image: rt.image, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'], readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 } }],
    }),
  );
  const mainStatus = (p: Pod) => p.status?.containerStatuses?.find((s) => s.name === 'main');
  // Running but not ready: a container with a readiness probe is ready only once the probe passes.
  const running = await waitForPod(plane.client, 'default', name, 'running', (p) => !!mainStatus(p)?.state?.running, 60_000);
  expect(isReady(running)).toBe(false);
  expect(mainStatus(running)?.ready).toBe(false);
  expect((await kubectl.get().run(['exec', name, '--', 'touch', '/tmp/ready'])).code).toBe(0);
  const ready = await waitForPod(plane.client, 'default', name, 'ready', isReady, 30_000);
  expect(mainStatus(ready)?.ready).toBe(true);
  expect((await kubectl.get().run(['exec', name, '--', 'rm', '/tmp/ready'])).code).toBe(0);
  const unready = await waitForPod(plane.client, 'default', name, 'not ready again', (p) => !isReady(p), 30_000);
  // Not ready is not a restart: readiness never kills the container.
  expect(mainStatus(unready)?.restartCount ?? 0).toBe(0);
  expect(mainStatus(unready)?.state?.running).toBeDefined();
  await plane.client.delete(`/api/v1/namespaces/default/pods/${name}`, { gracePeriodSeconds: 0 });
}, 90_000);

test('what a container writes to its terminationMessagePath is its terminated state message', async () => {
  const name = uniqueName('msg');
  await createPod(
    plane.client,
    'default',
    podOn(node, name, { restartPolicy: 'Never', containers: [{ name: 'main', image: rt.image, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'echo -n "gave up: no config" > /dev/termination-log; exit 2'] }] }),
  );
  const pod = await waitForPod(plane.client, 'default', name, 'Failed', (p) => p.status?.phase === 'Failed', 60_000);
  expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 2, reason: 'Error', message: 'gave up: no config' });
  await plane.client.delete(`/api/v1/namespaces/default/pods/${name}`, { gracePeriodSeconds: 0 });
}, 90_000);
