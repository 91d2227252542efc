import { daemonSetKind } from './daemonSet';
import { admit, causesOf, websiteManifests } from '../testing';

function daemonSet(spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    metadata: { name: 'agent', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { name: 'agent' } },
      template: { metadata: { labels: { name: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:v1' }] } },
      ...spec,
    },
  };
}

describe('DaemonSet', () => {
  it('is served as daemonsets.apps (ds) with status but no scale', () => {
    expect(daemonSetKind).toMatchObject({ group: 'apps', plural: 'daemonsets', shortNames: ['ds'], categories: ['all'], subresources: { status: true } });
    expect(daemonSetKind.subresources.scale).toBeUndefined();
  });

  it('defaults the update strategy and history', () => {
    const ds = admit(daemonSetKind, daemonSet());
    expect(ds.spec).toMatchObject({ revisionHistoryLimit: 10, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } });
    expect(admit(daemonSetKind, daemonSet({ updateStrategy: { type: 'OnDelete' } })).spec?.updateStrategy).toEqual({ type: 'OnDelete' });
  });

  it('accepts the website DaemonSet', () => {
    const docs = websiteManifests(daemonSetKind);
    expect(docs.map((d) => d.file)).toEqual(['controllers/daemonset.yaml']);
    expect(admit(daemonSetKind, docs[0]!.doc).spec?.template.spec?.tolerations).toHaveLength(2);
  });

  it('wants exactly one of maxSurge and maxUnavailable non-zero', () => {
    expect(causesOf(() => admit(daemonSetKind, daemonSet({ updateStrategy: { rollingUpdate: { maxUnavailable: 0 } } })))).toEqual([
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
    ]);
    expect(causesOf(() => admit(daemonSetKind, daemonSet({ updateStrategy: { rollingUpdate: { maxUnavailable: '10%', maxSurge: '101%' } } })))).toEqual([
      'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: "101%": must not be greater than 100%',
      'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: "101%": may not be set when maxUnavailable is non-zero',
    ]);
    expect(() => admit(daemonSetKind, daemonSet({ updateStrategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }))).not.toThrow();
  });

  it('checks the selector, the template and its restart policy', () => {
    const body = daemonSet({
      selector: { matchLabels: { name: 'other' } },
      template: { metadata: { labels: { name: 'agent' } }, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'agent', image: 'agent' }] } },
    });
    expect(causesOf(() => admit(daemonSetKind, body))).toEqual([
      'spec.template.metadata.labels: Invalid value: {"name":"agent"}: `selector` does not match template `labels`',
      'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
    ]);
  });

  it('keeps the selector immutable', () => {
    const old = admit(daemonSetKind, daemonSet());
    const next = structuredClone(old);
    next.spec!.selector = { matchLabels: { name: 'agent', v: '2' } };
    next.spec!.template.metadata!.labels = { name: 'agent', v: '2' };
    expect(causesOf(() => admit(daemonSetKind, next, old))).toEqual(['spec.selector: Invalid value: {"matchLabels":{"name":"agent","v":"2"}}: field is immutable']);
  });
});
