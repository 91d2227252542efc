import type { ConfigMap } from '../../api/kinds/core/configMap';
import type { Pod } from '../../api/kinds/core/pod';
import type { Secret } from '../../api/kinds/core/secret';
import { ContainerConfigError, formatMap, makeEnvironmentVariables, type DownwardContext, type ObjectSource } from './env';

const cms: Record<string, ConfigMap> = { cfg: { metadata: { name: 'cfg' }, data: { a: '1', b: '2' } } };
const secrets: Record<string, Secret> = { sec: { metadata: { name: 'sec' }, data: { pw: Buffer.from('pass').toString('base64') } } };
const objects: ObjectSource = { configMap: (_ns, n) => cms[n], secret: (_ns, n) => secrets[n] };
const ctx: DownwardContext = { podIPs: ['10.0.0.5'], hostIPs: ['192.168.1.2'], allocatable: { milliCPU: 4000, memoryBytes: 8 * 2 ** 30, ephemeralStorageBytes: 0 } };
const pod = (env: NonNullable<Pod['spec']>['containers'][0]): Pod => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u1', labels: { b: '2', a: '1' } }, spec: { containers: [env] } });

test('envFrom first (with prefix), then env in order with $(VAR) against what came before', () => {
  const c = {
    name: 'c',
    envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'X_' }, { secretRef: { name: 'sec' } }],
    env: [
      { name: 'LATER', value: '$(EARLY)-$(X_a)' },
      { name: 'EARLY', value: 'e' },
      { name: 'AGAIN', value: '$(EARLY)$$(EARLY)' },
      { name: 'X_a', value: 'override' },
    ],
  };
  const env = makeEnvironmentVariables(pod(c), c, objects, ctx);
  expect(env).toEqual([
    { name: 'X_b', value: '2' },
    { name: 'pw', value: 'pass' },
    { name: 'LATER', value: '$(EARLY)-1' },
    { name: 'EARLY', value: 'e' },
    { name: 'AGAIN', value: 'e$(EARLY)' },
    { name: 'X_a', value: 'override' },
  ]);
});

test('fieldRef, resourceFieldRef with divisors and defaults, and missing objects', () => {
  const c = {
    name: 'c',
    resources: { limits: { memory: '128Mi' }, requests: { cpu: '250m' } },
    env: [
      { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      { name: 'LABELS', valueFrom: { fieldRef: { fieldPath: 'metadata.labels' } } },
      { name: 'LABEL_A', valueFrom: { fieldRef: { fieldPath: "metadata.labels['a']" } } },
      { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      { name: 'CPU_REQ_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
      { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } },
    ],
  };
  const env = Object.fromEntries(makeEnvironmentVariables(pod(c), c, objects, ctx).map((e) => [e.name, e.value]));
  expect(env).toEqual({ IP: '10.0.0.5', HOST: '192.168.1.2', LABELS: formatMap({ a: '1', b: '2' }), LABEL_A: '1', MEM: '128', CPU_LIMIT: '4', CPU_REQ_M: '250' });
  expect(env['LABELS']).toBe('a="1"\nb="2"');
  const missing = { name: 'c', env: [{ name: 'K', valueFrom: { secretKeyRef: { name: 'sec', key: 'absent' } } }] };
  expect(() => makeEnvironmentVariables(pod(missing), missing, objects, ctx)).toThrow(new ContainerConfigError("couldn't find key absent in Secret ns/sec"));
});
