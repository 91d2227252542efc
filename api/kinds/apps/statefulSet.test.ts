import { statefulSetKind } from './statefulSet';
import { admit, causesOf, websiteManifests } from '../testing';

function statefulSet(spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      serviceName: 'nginx',
      selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx', volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }] }] },
      },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      ...spec,
    },
  };
}

describe('StatefulSet', () => {
  it('is served as statefulsets.apps (sts) with DNS-label names', () => {
    expect(statefulSetKind).toMatchObject({ group: 'apps', plural: 'statefulsets', shortNames: ['sts'], categories: ['all'], nameRule: 'dns1123Label' });
    expect(statefulSetKind.subresources).toMatchObject({ status: true, scale: { specReplicasPath: '.spec.replicas' } });
  });

  it('defaults the spec, the update strategy and the retention policy, and keeps claim templates as written', () => {
    const input = statefulSet();
    const sts = admit(statefulSetKind, input);
    expect(sts.spec).toMatchObject({
      replicas: 1,
      revisionHistoryLimit: 10,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    expect(sts.spec?.template.spec?.restartPolicy).toBe('Always');
    // Not defaulted, so that re-applying a manifest with claim templates is a no-op.
    expect(sts.spec?.volumeClaimTemplates).toEqual((input.spec as { volumeClaimTemplates: unknown }).volumeClaimTemplates);
  });

  it('does not invent a rollingUpdate for an explicit strategy type', () => {
    expect(admit(statefulSetKind, statefulSet({ updateStrategy: { type: 'RollingUpdate' } })).spec?.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(admit(statefulSetKind, statefulSet({ updateStrategy: { type: 'OnDelete' } })).spec?.updateStrategy).toEqual({ type: 'OnDelete' });
  });

  it('accepts the website StatefulSet', () => {
    const docs = websiteManifests(statefulSetKind);
    expect(docs.map((d) => d.file)).toEqual(['controllers/statefulset.yaml']);
    expect(admit(statefulSetKind, docs[0]!.doc).spec?.minReadySeconds).toBe(10);
  });

  it('rejects names that are not DNS labels, bad selectors and strategies', () => {
    expect(causesOf(() => admit(statefulSetKind, { ...statefulSet(), metadata: { name: 'web.v1', namespace: 'default' } }))[0]).toMatch(/^metadata\.name: Invalid value: "web\.v1": a lowercase RFC 1123 label/);
    const body = statefulSet({
      selector: {},
      ordinals: { start: -1 },
      updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } },
      template: { metadata: { labels: { app: 'nginx' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'nginx', image: 'nginx' }] } },
    });
    expect(causesOf(() => admit(statefulSetKind, body))).toEqual([
      'spec.updateStrategy.rollingUpdate: Invalid value: {"partition":1}: only allowed for updateStrategy \'RollingUpdate\'',
      'spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0',
      'spec.selector: Invalid value: {}: empty selector is invalid for statefulset',
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
  });

  it('checks rolling update partition and maxUnavailable', () => {
    const body = statefulSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: -1, maxUnavailable: 0 } } });
    expect(causesOf(() => admit(statefulSetKind, body))).toEqual([
      'spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0',
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0',
    ]);
  });

  it('answers Unsupported value for enums', () => {
    expect(causesOf(() => admit(statefulSetKind, statefulSet({ podManagementPolicy: 'Random' })))).toEqual([
      'spec.podManagementPolicy: Unsupported value: "Random": supported values: "OrderedReady", "Parallel"',
    ]);
  });

  it('allows updates of replicas, template, strategy and retention only', () => {
    const old = admit(statefulSetKind, statefulSet());
    const ok = structuredClone(old);
    ok.spec!.replicas = 3;
    ok.spec!.minReadySeconds = 5;
    ok.spec!.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Retain' };
    ok.spec!.template.spec!.containers[0]!.image = 'nginx:1.27';
    expect(() => admit(statefulSetKind, ok, old)).not.toThrow();

    const bad = structuredClone(old);
    bad.spec!.serviceName = 'other';
    expect(causesOf(() => admit(statefulSetKind, bad, old))).toEqual([
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });
});
