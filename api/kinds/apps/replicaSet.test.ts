import { replicaSetKind } from './replicaSet';
import { admit, causesOf, websiteManifests } from '../testing';

function replicaSet(spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    metadata: { name: 'frontend', namespace: 'default' },
    spec: {
      selector: { matchLabels: { tier: 'frontend' } },
      template: { metadata: { labels: { tier: 'frontend' } }, spec: { containers: [{ name: 'php', image: 'php:8' }] } },
      ...spec,
    },
  };
}

describe('ReplicaSet', () => {
  it('is served as replicasets.apps (rs) with status.replicas selectable', () => {
    expect(replicaSetKind).toMatchObject({ group: 'apps', plural: 'replicasets', singular: 'replicaset', shortNames: ['rs'], categories: ['all'] });
    expect(replicaSetKind.subresources.scale?.specReplicasPath).toBe('.spec.replicas');
    const rs = admit(replicaSetKind, { ...replicaSet(), status: { replicas: 2 } });
    expect(replicaSetKind.selectableFields?.['status.replicas']?.(rs)).toBe('2');
  });

  it('defaults replicas and the pod template', () => {
    const rs = admit(replicaSetKind, replicaSet());
    expect(rs.spec?.replicas).toBe(1);
    expect(rs.spec?.template?.spec?.restartPolicy).toBe('Always');
  });

  it('accepts the website ReplicaSet', () => {
    const docs = websiteManifests(replicaSetKind);
    expect(docs.map((d) => d.file)).toEqual(['controllers/frontend.yaml']);
    const rs = admit(replicaSetKind, docs[0]!.doc);
    expect(rs.spec?.replicas).toBe(3);
  });

  it('requires the selector and checks it against the template', () => {
    expect(causesOf(() => admit(replicaSetKind, { metadata: { name: 'x', namespace: 'default' }, spec: {} }))).toEqual(['spec.selector: Required value']);
    expect(causesOf(() => admit(replicaSetKind, replicaSet({ selector: { matchLabels: { tier: 'backend' } } })))).toEqual([
      'spec.template.metadata.labels: Invalid value: {"tier":"frontend"}: `selector` does not match template `labels`',
    ]);
  });

  it('rejects negative counts, non-Always restart policies and activeDeadlineSeconds', () => {
    const body = replicaSet({
      replicas: -2,
      minReadySeconds: -1,
      template: { metadata: { labels: { tier: 'frontend' } }, spec: { restartPolicy: 'OnFailure', activeDeadlineSeconds: 5, containers: [{ name: 'php', image: 'php' }] } },
    });
    expect(causesOf(() => admit(replicaSetKind, body))).toEqual([
      'spec.replicas: Invalid value: -2: must be greater than or equal to 0',
      'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
      'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
      'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
    ]);
  });

  it('keeps the selector immutable and validates status writes', () => {
    const old = admit(replicaSetKind, replicaSet());
    const next = structuredClone(old);
    next.spec!.selector = { matchExpressions: [{ key: 'tier', operator: 'Exists' }] };
    next.status = { replicas: 1, availableReplicas: 1, readyReplicas: 0 };
    expect(causesOf(() => admit(replicaSetKind, next, old))).toEqual([
      'spec.selector: Invalid value: {"matchExpressions":[{"key":"tier","operator":"Exists"}]}: field is immutable',
      'status.availableReplicas: Invalid value: 1: cannot be greater than readyReplicas',
    ]);
  });
});
