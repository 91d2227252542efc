import { decodeObject } from '../decode';
import { deploymentKind, type Deployment } from './deployment';
import { admit, causesOf, websiteManifests } from '../testing';

function deployment(spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      ...spec,
    },
  };
}

describe('Deployment', () => {
  it('is served as deployments.apps with the scale subresource', () => {
    expect(deploymentKind).toMatchObject({ group: 'apps', version: 'v1', plural: 'deployments', shortNames: ['deploy'], categories: ['all'], namespaced: true });
    expect(deploymentKind.subresources.scale).toEqual({ specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' });
  });

  it('defaults the spec, the rolling update and the pod template', () => {
    const d = admit(deploymentKind, deployment());
    expect(d.spec).toMatchObject({
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    });
    expect(d.spec?.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 });
    expect(d.spec?.template.spec?.containers[0]).toMatchObject({ imagePullPolicy: 'IfNotPresent' });
  });

  it('keeps an explicit rolling update and gives Recreate none', () => {
    const rolling = admit(deploymentKind, deployment({ strategy: { rollingUpdate: { maxSurge: 1 } } }));
    expect(rolling.spec?.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } });
    const recreate = admit(deploymentKind, deployment({ strategy: { type: 'Recreate' } }));
    expect(recreate.spec?.strategy).toEqual({ type: 'Recreate' });
  });

  it('accepts every Deployment of the Kubernetes website', () => {
    const docs = websiteManifests(deploymentKind);
    expect(docs.length).toBeGreaterThanOrEqual(5);
    for (const { doc } of docs) expect(() => admit(deploymentKind, doc)).not.toThrow();
  });

  it('rejects a selector that does not match the template labels', () => {
    const body = deployment({ selector: { matchLabels: { app: 'other' } } });
    expect(causesOf(() => admit(deploymentKind, body))).toEqual(['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']);
  });

  it('requires a non-empty selector and the template (schema)', () => {
    expect(causesOf(() => admit(deploymentKind, { metadata: { name: 'd', namespace: 'default' }, spec: {} }))).toEqual([
      'spec.selector: Required value',
      'spec.template: Required value',
    ]);
    expect(causesOf(() => admit(deploymentKind, deployment({ selector: {} })))).toEqual(['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
  });

  it('reports invalid selectors', () => {
    const body = deployment({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] } });
    expect(causesOf(() => admit(deploymentKind, body))).toEqual([
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      'spec.selector: Invalid value: {"matchExpressions":[{"key":"app","operator":"In","values":[]}]}: invalid label selector',
    ]);
  });

  it('checks replicas, restart policy, strategy and deadlines', () => {
    const body = deployment({
      replicas: -1,
      minReadySeconds: 600,
      strategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'nginx', image: 'nginx' }] } },
    });
    expect(causesOf(() => admit(deploymentKind, body))).toEqual([
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
      'spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds',
    ]);
  });

  it('checks percentages', () => {
    const body = deployment({ strategy: { rollingUpdate: { maxUnavailable: '110%', maxSurge: 'lots' } } });
    expect(causesOf(() => admit(deploymentKind, body))).toEqual([
      "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"lots\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "110%": must not be greater than 100%',
    ]);
    // maxSurge may exceed 100%.
    expect(() => admit(deploymentKind, deployment({ strategy: { rollingUpdate: { maxSurge: '200%' } } }))).not.toThrow();
  });

  it('forbids rollingUpdate with Recreate', () => {
    const body = deployment({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } });
    expect(causesOf(() => admit(deploymentKind, body))).toEqual(["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]);
  });

  it('validates the pod template like a pod', () => {
    const body = deployment({ template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx' }] } } });
    expect(causesOf(() => admit(deploymentKind, body))).toContain('spec.template.spec.containers[0].image: Required value');
  });

  it('answers 400 for wrong types and unknown fields, 422 for unsupported enum values', () => {
    expect(() => admit(deploymentKind, deployment({ replicas: 'three' }))).toThrow(expect.objectContaining({ code: 400 }));
    expect(() => decodeObject(deploymentKind, deployment({ replica: 3 }), 'Strict')).toThrow('strict decoding error: unknown field "spec.replica"');
    expect(causesOf(() => admit(deploymentKind, deployment({ strategy: { type: 'BlueGreen' } })))).toEqual([
      'spec.strategy.type: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"',
    ]);
  });

  it('makes the selector immutable and checks status updates', () => {
    const old = admit(deploymentKind, deployment());
    const scaled = structuredClone(old);
    scaled.spec!.replicas = 5;
    expect(() => admit(deploymentKind, scaled, old)).not.toThrow();

    const moved: Deployment = structuredClone(old);
    moved.spec!.selector = { matchLabels: { app: 'web', tier: 'front' } };
    moved.spec!.template.metadata!.labels = { app: 'web', tier: 'front' };
    expect(causesOf(() => admit(deploymentKind, moved, old))).toEqual([
      'spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"front"}}: field is immutable',
    ]);

    const status = structuredClone(old);
    status.status = { replicas: 1, readyReplicas: 2, collisionCount: 0 };
    const withCollisions = { ...structuredClone(old), status: { collisionCount: 1 } };
    expect(causesOf(() => admit(deploymentKind, status, withCollisions))).toEqual([
      'status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas',
      'status.collisionCount: Invalid value: 0: cannot be decremented',
    ]);
  });
});
