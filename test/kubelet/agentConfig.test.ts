/** Env ($(VAR), fieldRef, resourceFieldRef, ConfigMap and Secret keys, envFrom) and volumes (emptyDir, configMap, secret, downwardAPI, projected, hostPath). */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { useControlPlane } from '../harness/apiserver';
import { tempDir } from '../harness/tmp';
import { createPod, eventually, image, isReady, podOn, startTestAgent, uniqueName, waitForPod, waitingReason, type TestAgent } from './agentHarness';

const plane = useControlPlane();
const ns = 'default';
const node = 'node-c';
let agent: TestAgent;

beforeAll(async () => {
  agent = await startTestAgent(plane.url, node);
  await plane.client.create(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { color: 'blue', size: 'L' } });
  await plane.client.create(`/api/v1/namespaces/${ns}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, data: { password: Buffer.from('s3cret').toString('base64') } });
}, 30_000);
afterAll(() => agent?.dispose());

const containerOf = (podName: string, name = 'main') => agent.runtime.all().find((c) => c.spec.podName === podName && c.spec.name === name);

test('env from values, $(VAR) references, the downward API, ConfigMap and Secret keys and envFrom; command expanded', async () => {
  const name = uniqueName('env');
  await createPod(
    plane.client,
    ns,
    podOn(node, name, {
      containers: [
        {
          name: 'main',
          image,
          command: ['echo', '$(GREETING)', '$$(NOT)'],
          args: ['$(COLOR)'],
          envFrom: [{ configMapRef: { name: 'settings' }, prefix: 'CM_' }],
          env: [
            { name: 'WHO', value: 'world' },
            { name: 'GREETING', value: 'hello $(WHO)' },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            { name: 'MEM_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
            { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'settings', key: 'color' } } },
            { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
          ],
          resources: { limits: { memory: '64Mi', cpu: '500m' } },
        },
      ],
    }),
  );
  await waitForPod(plane.client, ns, name, 'ready', isReady);
  const spec = containerOf(name)!.spec;
  const env = Object.fromEntries(spec.env.map((e) => [e.name, e.value]));
  expect(env).toMatchObject({ CM_color: 'blue', CM_size: 'L', GREETING: 'hello world', POD_NAME: name, NODE: node, MEM_LIMIT: '64', COLOR: 'blue', PASSWORD: 's3cret' });
  expect(spec.command).toEqual(['echo', 'hello world', '$(NOT)']);
  expect(spec.args).toEqual(['blue']);
  expect(spec.limits).toEqual({ milliCPU: 500, memoryBytes: 64 * 1024 * 1024 });
  expect(spec.labels['io.kubernetes.container.name']).toBe('main');
});

test('a missing ConfigMap key is CreateContainerConfigError until the ConfigMap has it', async () => {
  const name = uniqueName('cfgerr');
  const cm = uniqueName('late');
  await createPod(plane.client, ns, podOn(node, name, { containers: [{ name: 'main', image, env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: cm, key: 'x' } } }] }] }));
  const pod = await waitForPod(plane.client, ns, name, 'CreateContainerConfigError', (p) => waitingReason(p) === 'CreateContainerConfigError');
  expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.message).toBe(`configmap "${cm}" not found`);
  await plane.client.create(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: cm }, data: { x: '1' } });
  await waitForPod(plane.client, ns, name, 'ready', isReady);
});

test('volumes are host directories passed as mounts', async () => {
  const host = await tempDir('hostpath');
  try {
    const name = uniqueName('vol');
    await createPod(
      plane.client,
      ns,
      podOn(node, name, {
        volumes: [
          { name: 'scratch', emptyDir: {} },
          { name: 'config', configMap: { name: 'settings', items: [{ key: 'color', path: 'nested/color.txt' }] } },
          { name: 'secret', secret: { secretName: 'creds' } },
          { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
          { name: 'all', projected: { sources: [{ configMap: { name: 'settings' } }, { secret: { name: 'creds' } }] } },
          { name: 'host', hostPath: { path: join(host.path, 'made'), type: 'DirectoryOrCreate' } },
        ],
        containers: [
          {
            name: 'main',
            image,
            env: [{ name: 'MARINA_FAKE_LOG', value: 'a line' }],
            volumeMounts: [
              { name: 'scratch', mountPath: '/scratch' },
              { name: 'config', mountPath: '/etc/config', readOnly: true },
              { name: 'secret', mountPath: '/etc/secret' },
              { name: 'info', mountPath: '/etc/info' },
              { name: 'all', mountPath: '/etc/all' },
              { name: 'host', mountPath: '/host' },
            ],
          },
        ],
      }),
    );
    const pod = await waitForPod(plane.client, ns, name, 'ready', isReady);
    const mounts = Object.fromEntries(containerOf(name)!.spec.mounts.map((m) => [m.containerPath, m]));
    expect(mounts['/etc/config']?.readOnly).toBe(true);
    expect(await readFile(join(mounts['/etc/config']!.hostPath, 'nested/color.txt'), 'utf8')).toBe('blue');
    expect(await readFile(join(mounts['/etc/secret']!.hostPath, 'password'), 'utf8')).toBe('s3cret');
    expect(await readFile(join(mounts['/etc/all']!.hostPath, 'size'), 'utf8')).toBe('L');
    expect(await readFile(join(mounts['/etc/all']!.hostPath, 'password'), 'utf8')).toBe('s3cret');
    expect(await readFile(join(mounts['/etc/info']!.hostPath, 'labels'), 'utf8')).toBe('');
    expect((await stat(mounts['/scratch']!.hostPath)).isDirectory()).toBe(true);
    expect(mounts['/scratch']!.hostPath.startsWith(join(agent.rootDir, 'pods', pod.metadata!.uid!))).toBe(true);
    expect(mounts['/host']!.hostPath).toBe(join(host.path, 'made'));
    expect((await stat(join(host.path, 'made'))).isDirectory()).toBe(true);
    // The pod's directory and logs go with the pod.
    const logDir = join(agent.rootDir, 'logs', `${ns}_${name}_${pod.metadata!.uid!}`);
    expect((await stat(logDir)).isDirectory()).toBe(true);
    await plane.client.delete(`/api/v1/namespaces/${ns}/pods/${name}`, { gracePeriodSeconds: 0 });
    await eventually('the pod directory removed', async () => ((await stat(join(agent.rootDir, 'pods', pod.metadata!.uid!)).catch(() => undefined)) ? undefined : true));
    await eventually('the pod logs removed', async () => ((await stat(logDir).catch(() => undefined)) ? undefined : true));
  } finally {
    await host.remove();
  }
});
