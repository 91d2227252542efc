import { applyDefaults } from '../../schema/walk';
import { defaultPodOnly, defaultPodSpec, defaultPullPolicy, imageTag, podQOSClass } from './podDefaults';
import { PodSpec } from './podSpec';

function defaulted(partial: unknown, pod = false): PodSpec {
  const spec = structuredClone(partial) as PodSpec;
  applyDefaults(PodSpec, spec);
  defaultPodSpec(spec);
  if (pod) defaultPodOnly(spec);
  return spec;
}

describe('image pull policy', () => {
  it.each([
    ['nginx', 'latest', 'Always'],
    ['nginx:latest', 'latest', 'Always'],
    ['registry.example.com:5000/team/app', 'latest', 'Always'],
    ['registry.example.com:5000/team/app:1.2', '1.2', 'IfNotPresent'],
    ['nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', '', 'IfNotPresent'],
    ['nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'latest', 'Always'],
    ['', '', 'IfNotPresent'],
  ])('%s has tag %j and policy %s', (image, tag, policy) => {
    expect(imageTag(image)).toBe(tag);
    expect(defaultPullPolicy(image)).toBe(policy);
  });

  it('applies to containers, init containers and ephemeral containers, keeping explicit values', () => {
    const spec = defaulted({
      initContainers: [{ name: 'i', image: 'busybox:1.36' }],
      containers: [
        { name: 'a', image: 'nginx' },
        { name: 'b', image: 'nginx', imagePullPolicy: 'Never' },
      ],
      ephemeralContainers: [{ name: 'e', image: 'busybox' }],
    });
    expect(spec.initContainers![0]!.imagePullPolicy).toBe('IfNotPresent');
    expect(spec.containers.map((c) => c.imagePullPolicy)).toEqual(['Always', 'Never']);
    expect(spec.ephemeralContainers![0]).toMatchObject({ imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
  });
});

describe('defaultPodSpec', () => {
  it('treats Go zero values as unset', () => {
    const spec = defaulted({
      schedulerName: '',
      containers: [
        {
          name: 'a',
          image: 'x',
          terminationMessagePath: '',
          livenessProbe: { httpGet: { port: 80, path: '' }, timeoutSeconds: 0, periodSeconds: 0, successThreshold: 0, failureThreshold: 0 },
          env: [{ name: 'N', valueFrom: { fieldRef: { apiVersion: '', fieldPath: 'metadata.name' } } }],
        },
      ],
    });
    expect(spec.schedulerName).toBe('default-scheduler');
    expect(spec.containers[0]).toMatchObject({
      terminationMessagePath: '/dev/termination-log',
      livenessProbe: { httpGet: { path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
      env: [{ valueFrom: { fieldRef: { apiVersion: 'v1' } } }],
    });
  });

  it('mirrors serviceAccountName and the deprecated serviceAccount', () => {
    expect(defaulted({ serviceAccount: 'old', containers: [] })).toMatchObject({ serviceAccountName: 'old', serviceAccount: 'old' });
    expect(defaulted({ serviceAccountName: 'new', containers: [] })).toMatchObject({ serviceAccountName: 'new', serviceAccount: 'new' });
    expect(defaulted({ serviceAccountName: 'new', serviceAccount: 'old', containers: [] })).toMatchObject({ serviceAccountName: 'new', serviceAccount: 'new' });
    expect(defaulted({ containers: [] }).serviceAccount).toBeUndefined();
  });

  it('defaults volumes without a source to emptyDir', () => {
    expect(defaulted({ containers: [], volumes: [{ name: 'scratch' }] }).volumes).toEqual([{ name: 'scratch', emptyDir: {} }]);
  });

  it('leaves templates without the pod-only defaults', () => {
    const template = defaulted({ hostNetwork: true, containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } } }] });
    expect(template.enableServiceLinks).toBeUndefined();
    expect(template.containers[0]!.resources).toEqual({ limits: { cpu: '1' } });
    expect(template.containers[0]!.ports![0]!.hostPort).toBeUndefined();
  });
});

describe('defaultPodOnly', () => {
  it('defaults requests to limits, host ports under hostNetwork and enableServiceLinks', () => {
    const spec = defaulted(
      {
        hostNetwork: true,
        initContainers: [{ name: 'i', image: 'x', resources: { limits: { memory: '64Mi' } } }],
        containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } }],
      },
      true,
    );
    expect(spec.containers[0]!.resources!.requests).toEqual({ cpu: '500m', memory: '1Gi' });
    expect(spec.initContainers![0]!.resources!.requests).toEqual({ memory: '64Mi' });
    expect(spec.containers[0]!.ports![0]!.hostPort).toBe(80);
    expect(spec.enableServiceLinks).toBe(true);
    expect(defaulted({ enableServiceLinks: false, containers: [] }, true).enableServiceLinks).toBe(false);
  });
});

describe('podQOSClass', () => {
  const c = (resources: object) => ({ name: 'c', image: 'x', resources });
  it.each([
    ['BestEffort', [c({})]],
    ['BestEffort', [c({ limits: { 'example.com/gpu': '1' }, requests: { 'example.com/gpu': '1' } })]],
    ['Burstable', [c({ requests: { cpu: '100m' } })]],
    ['Burstable', [c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } })]],
    ['Burstable', [c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } }), c({ limits: { cpu: '1' }, requests: { cpu: '1' } })]],
    ['Guaranteed', [c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1024Mi' } })]],
  ])('%s', (qos, containers) => {
    expect(podQOSClass({ containers } as PodSpec)).toBe(qos);
  });
});
