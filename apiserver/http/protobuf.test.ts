import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isStatusError } from '../../api/status';
import { decodeProtobufObject } from './protobuf';
import type { MessageType } from './protobuf/descriptor';
import { protobufKinds, protobufMessageOf } from './protobuf/kinds';
import { ObjectMeta } from './protobuf/meta';
import { encodeMessage, kubernetesProtobuf, mapEntries } from './protobuf/testing';

interface Recorded {
  readonly command: string;
  readonly body: string;
  readonly object: unknown;
}

const recorded = JSON.parse(readFileSync(join(__dirname, '../../test/fixtures/protobuf/kubectl-1.32-create.json'), 'utf8')) as Recorded[];

/** The Status error `fn` throws. */
function statusOf(fn: () => unknown): { code: number; reason: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isStatusError(err)) return { code: err.code, reason: err.reason, message: err.message };
    throw err;
  }
  throw new Error('expected a Status error');
}

describe('decodeProtobufObject', () => {
  it.each(recorded.map((r) => [r.command, r] as const))('decodes what `%s` sends into the JSON kubectl prints', (_, r) => {
    expect(decodeProtobufObject(Buffer.from(r.body, 'hex'))).toEqual(r.object);
  });

  it('decodes a pod template in full: inlined references, quantities, probes, explicit zeros and falses', () => {
    const container = [
      [1, 'app'],
      [2, 'nginx:1.27'],
      [6, [[3, { varint: 80 }], [1, 'http'], [4, 'TCP']]],
      // env: a value, and a configMapKeyRef whose LocalObjectReference is inlined.
      [7, [[1, 'MODE'], [2, 'prod']]],
      [7, [[1, 'LEVEL'], [3, [[3, [[1, [[1, 'settings']]], [2, 'level'], [3, { varint: 0 }]]]]]]],
      [8, [...mapEntries(1, { cpu: [[1, '500m']] }), ...mapEntries(2, { memory: [[1, '64Mi']] })]],
      [9, [[1, 'config'], [3, '/etc/app'], [2, { varint: 1 }]]],
      // readinessProbe: httpGet on a named port (IntOrString type 1).
      [11, [[1, [[2, [[1, '/healthz'], [2, [[1, { varint: 1 }], [3, 'http']]]]]]], [4, { varint: 5 }]]],
      [14, 'IfNotPresent'],
      // securityContext: runAsUser 0 and privileged false are pointers, kept.
      [15, [[4, { varint: 0 }], [2, { varint: 0 }]]],
      [16, { varint: 1 }],
      [18, { varint: 1 }],
    ] as const;
    const podSpec = [
      [1, [[1, 'config'], [2, [[19, [[1, [[1, 'settings']]], [3, { varint: 0o644 }]]]]]]],
      [2, container],
      [3, 'Always'],
      [4, { varint: 0 }],
      ...mapEntries(7, { 'kubernetes.io/os': 'linux' }),
      [21, { varint: 0 }],
      [22, [[1, 'node.kubernetes.io/not-ready'], [2, 'Exists'], [4, 'NoExecute'], [5, { varint: 300 }]]],
    ] as const;
    const pod = [
      [1, [[1, 'web'], [3, 'default'], ...mapEntries(11, { app: 'web' }), [8, []]]],
      [2, podSpec],
      [3, []],
    ] as const;
    expect(decodeProtobufObject(kubernetesProtobuf('v1', 'Pod', pod))).toEqual({
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: {
        volumes: [{ name: 'config', configMap: { name: 'settings', defaultMode: 0o644 } }],
        containers: [
          {
            name: 'app',
            image: 'nginx:1.27',
            ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
            env: [
              { name: 'MODE', value: 'prod' },
              { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'level', optional: false } } },
            ],
            resources: { limits: { cpu: '500m' }, requests: { memory: '64Mi' } },
            volumeMounts: [{ name: 'config', readOnly: true, mountPath: '/etc/app' }],
            readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
            imagePullPolicy: 'IfNotPresent',
            securityContext: { privileged: false, runAsUser: 0 },
            stdin: true,
            tty: true,
          },
        ],
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 0,
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        automountServiceAccountToken: false,
        tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      },
      status: {},
    });
  });

  it('keeps explicit zeros of pointer fields: replicas 0, PDB minAvailable 0, priority value 0', () => {
    expect(decodeProtobufObject(kubernetesProtobuf('apps/v1', 'Deployment', [[1, [[1, 'd']]], [2, [[1, { varint: 0 }]]]]))).toMatchObject({ spec: { replicas: 0 } });
    expect(decodeProtobufObject(kubernetesProtobuf('policy/v1', 'PodDisruptionBudget', [[2, [[1, [[1, { varint: 0 }], [2, { varint: 0 }]]]]]]))).toMatchObject({
      spec: { minAvailable: 0 },
    });
    expect(decodeProtobufObject(kubernetesProtobuf('scheduling.k8s.io/v1', 'PriorityClass', [[1, [[1, 'pc']]], [2, { varint: 0 }], [3, { varint: 0 }]]))).toEqual({
      kind: 'PriorityClass',
      apiVersion: 'scheduling.k8s.io/v1',
      metadata: { name: 'pc' },
      value: 0,
    });
  });

  it('answers 400 with Kubernetes message for a body without the protobuf prefix', () => {
    expect(statusOf(() => decodeProtobufObject(Buffer.from('{"kind":"Pod"}')))).toEqual({
      code: 400,
      reason: 'BadRequest',
      message: 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    });
    expect(statusOf(() => decodeProtobufObject(Buffer.alloc(0))).code).toBe(400);
  });

  it('answers 400 for a malformed message', () => {
    const body = kubernetesProtobuf('v1', 'ConfigMap', [[1, [[1, 'c']]], ...mapEntries(2, { a: 'b' })]);
    // Cut inside `raw` (the envelope ends with two empty strings, 4 bytes).
    const truncated = statusOf(() => decodeProtobufObject(body.subarray(0, body.length - 5)));
    expect(truncated).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(truncated.message).toMatch(/^the protobuf body is malformed: proto: /);
    // metadata.name sent as a varint.
    const wrongType = kubernetesProtobuf('v1', 'ConfigMap', [[1, [[1, { varint: 3 }]]]]);
    expect(statusOf(() => decodeProtobufObject(wrongType)).message).toBe('the protobuf body is malformed: proto: wrong wireType = 0 for field name');
  });

  it('answers 415 for a kind whose protobuf encoding is not known', () => {
    const err = statusOf(() => decodeProtobufObject(kubernetesProtobuf('autoscaling/v2', 'HorizontalPodAutoscaler', [[1, [[1, 'h']]]])));
    expect(err).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
    expect(err.message).toMatch(/^the protobuf encoding of autoscaling\/v2 HorizontalPodAutoscaler is not supported: send it as application\/json/);
  });

  it('answers 415 for an envelope whose content is compressed or not protobuf', () => {
    const raw = encodeMessage([[1, [[1, 'c']]]]);
    const envelope = (encoding: string, type: string) =>
      Buffer.concat([Buffer.from('k8s\0', 'latin1'), encodeMessage([[1, [[1, 'v1'], [2, 'ConfigMap']]], [2, raw], [3, encoding], [4, type]])]);
    expect(statusOf(() => decodeProtobufObject(envelope('gzip', ''))).code).toBe(415);
    expect(statusOf(() => decodeProtobufObject(envelope('', 'application/json'))).code).toBe(415);
    expect(decodeProtobufObject(envelope('', 'application/vnd.kubernetes.protobuf'))).toEqual({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c' } });
  });

  it('answers 400 when the envelope names no kind', () => {
    const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), encodeMessage([[2, encodeMessage([[1, [[1, 'c']]]])]])]);
    expect(statusOf(() => decodeProtobufObject(body))).toMatchObject({ code: 400, message: expect.stringContaining("Object 'Kind' is missing") });
  });
});

describe('the message tables', () => {
  const reachable = new Set<MessageType>();
  const visit = (type: MessageType) => {
    if (reachable.has(type)) return;
    reachable.add(type);
    for (const f of type.fields) if (typeof f.type === 'object') visit(f.type);
  };
  for (const k of protobufKinds()) visit(protobufMessageOf(...(k.split(' ') as [string, string]))!);

  it('give every field of a message its own number and JSON name', () => {
    expect(reachable.size).toBeGreaterThan(100);
    for (const type of reachable) {
      const numbers = type.fields.map((f) => f.number);
      const names = type.fields.map((f) => f.json);
      expect({ type: type.name, duplicates: numbers.filter((n, i) => numbers.indexOf(n) !== i) }).toEqual({ type: type.name, duplicates: [] });
      expect({ type: type.name, duplicates: names.filter((n, i) => names.indexOf(n) !== i) }).toEqual({ type: type.name, duplicates: [] });
    }
  });

  it('give every kind its ObjectMeta as field 1', () => {
    for (const k of protobufKinds()) {
      const [apiVersion, kind] = k.split(' ') as [string, string];
      expect(protobufMessageOf(apiVersion, kind)!.fields.find((f) => f.number === 1)).toMatchObject({ json: 'metadata', type: ObjectMeta });
    }
  });
});
