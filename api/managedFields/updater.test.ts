import { Deployment } from '../kinds/apps/deployment';
import { ConfigMap } from '../kinds/core/configMap';
import { FieldSet } from './fieldSet';
import { managerId, type Managers } from './managers';
import { fieldElement, pathString } from './pathElement';
import { Widget } from './testSchema';
import { applyConfiguration, ApplyConflictError, recordUpdate, wholeObject, type WriteContext } from './updater';

const t1 = '2024-01-01T00:00:00Z';
const t2 = '2024-01-02T00:00:00Z';
const who = (manager: string) => ({ manager, apiVersion: 'test/v1', subresource: '' });
const applier = (manager: string) => managerId({ manager, operation: 'Apply', subresource: '' });
const updater = (manager: string) => managerId({ manager, operation: 'Update', apiVersion: 'test/v1', subresource: '' });
const ctx = (live: unknown, managers: Managers = new Map(), time = t1): WriteContext => ({ schema: Widget, live, managers, scope: wholeObject, time });
const owned = (managers: Managers, id: string) => managers.get(id)?.set.paths().map(pathString);

const base = { apiVersion: 'test/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'ns', uid: 'u', resourceVersion: '5' } };

describe('recordUpdate', () => {
  it('gives a creator every field it sets (and maps it adds, as a whole), except the server fields', () => {
    const next = { ...base, metadata: { ...base.metadata, labels: { app: 'w' } }, spec: { replicas: 1, labels: { a: '1' } } };
    const managers = recordUpdate(ctx({ metadata: {}, spec: {} }), next, who('creator'));
    expect(owned(managers, updater('creator'))).toEqual(['.metadata.labels', '.metadata.labels.app', '.spec.labels', '.spec.labels.a', '.spec.replicas']);
    expect(managers.get(updater('creator'))!.time).toBe(t1);
  });

  it('moves a field to its latest writer and drops removed fields from every owner', () => {
    const live = { ...base, spec: { replicas: 1, labels: { a: '1', b: '2' } } };
    const created = recordUpdate(ctx({ spec: {} }), live, who('creator'));
    const next = { ...base, spec: { replicas: 3, labels: { a: '1' } } };
    const managers = recordUpdate(ctx(live, created, t2), next, who('scaler'));
    expect(owned(managers, updater('creator'))).toEqual(['.spec.labels', '.spec.labels.a']);
    expect(owned(managers, updater('scaler'))).toEqual(['.spec.replicas']);
    expect(managers.get(updater('scaler'))!.time).toBe(t2);
    expect(managers.get(updater('creator'))!.time).toBe(t1);
  });

  it('changes nothing (not even a time) for a write that changes nothing', () => {
    const live = { ...base, spec: { replicas: 1 } };
    const created = recordUpdate(ctx({ spec: {} }), live, who('creator'));
    const managers = recordUpdate(ctx(live, created, t2), { ...base, metadata: { ...base.metadata, resourceVersion: '6' }, spec: { replicas: 1 } }, who('other'));
    expect([...managers.keys()]).toEqual([updater('creator')]);
    expect(managers.get(updater('creator'))).toEqual(created.get(updater('creator')));
  });

  it('records only what the scope lets the write change', () => {
    const statusOnly = (set: FieldSet) => set.within(FieldSet.of([fieldElement('status')]));
    const live = { ...base, spec: { replicas: 1 } };
    const next = { ...base, spec: { replicas: 2 }, status: { ready: 1 } };
    const managers = recordUpdate({ ...ctx(live), scope: statusOnly }, next, { ...who('kubelet'), subresource: 'status' });
    const id = managerId({ manager: 'kubelet', operation: 'Update', apiVersion: 'test/v1', subresource: 'status' });
    expect(owned(managers, id)).toEqual(['.status', '.status.ready']);
  });
});

describe('applyConfiguration', () => {
  const apply = (live: unknown, managers: Managers, config: unknown, manager = 'kubectl', force = false, time = t1) =>
    applyConfiguration({ ...ctx(live, managers, time) }, { ...base, ...(config as object) }, who(manager), force);

  it('records what Kubernetes records for kubectl apply --server-side of a ConfigMap', () => {
    // The example of https://kubernetes.io/docs/reference/using-api/server-side-apply/
    const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'test-cm', namespace: 'default', labels: { 'test-label': 'test' } }, data: { key: 'some value' } };
    const result = applyConfiguration({ schema: ConfigMap, live: {}, managers: new Map(), scope: wholeObject, time: t1 }, config, { manager: 'kubectl', apiVersion: 'v1', subresource: '' }, false);
    expect(result.managers.get(applier('kubectl'))!.set.toJSON()).toEqual({ 'f:metadata': { 'f:labels': { 'f:test-label': {} } }, 'f:data': { 'f:key': {} } });
    expect(result.object).toEqual(config);
  });

  it('records what Kubernetes records for a Deployment (atomic selector, container port keyed with its default protocol)', () => {
    const config = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'nginx' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'nginx' } },
        template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } },
      },
    };
    const result = applyConfiguration({ schema: Deployment, live: {}, managers: new Map(), scope: wholeObject, time: t1 }, config, { manager: 'kubectl', apiVersion: 'apps/v1', subresource: '' }, false);
    expect(result.managers.get(applier('kubectl'))!.set.toJSON()).toEqual({
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } },
            },
          },
        },
      },
    });
  });

  it('removes what the manager applied before and applies no more, unless another manager owns it', () => {
    const first = apply({}, new Map(), { spec: { labels: { a: '1', b: '2', c: '3' }, items: [{ name: 'x' }, { name: 'y' }], strategy: { type: 'R' } } });
    // Someone else takes label c by writing it.
    const live = first.object as typeof base & { spec: object };
    const edited = { ...live, spec: { ...live.spec, labels: { a: '1', b: '2', c: '33' } } };
    const managers = recordUpdate(ctx(live, first.managers, t2), edited, who('editor'));
    const second = apply(edited, managers, { spec: { labels: { a: '1' }, items: [{ name: 'x' }] } }, 'kubectl', false, t2);
    expect((second.object as { spec: unknown }).spec).toEqual({ labels: { a: '1', c: '33' }, items: [{ name: 'x' }] });
    expect(owned(second.managers, applier('kubectl'))).toEqual(['.spec.items[name="x"]', '.spec.items[name="x"].name', '.spec.labels.a']);
    expect(second.changed).toBe(true);
  });

  it('conflicts when it would change a field another manager owns; force takes it', () => {
    const live = { ...base, spec: { replicas: 1, tags: ['a'] } };
    const managers = recordUpdate(ctx({ spec: {} }), live, who('kubectl-client-side-apply'));
    let err: unknown;
    try {
      apply(live, managers, { spec: { replicas: 3, tags: ['a', 'b'] } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApplyConflictError);
    expect((err as ApplyConflictError).conflicts.map((c) => `${c.manager.manager}: ${pathString(c.path)}`)).toEqual(['kubectl-client-side-apply: .spec.replicas']);

    const forced = apply(live, managers, { spec: { replicas: 3, tags: ['a', 'b'] } }, 'kubectl', true);
    expect((forced.object as { spec: unknown }).spec).toEqual({ replicas: 3, tags: ['a', 'b'] });
    expect(owned(forced.managers, updater('kubectl-client-side-apply'))).toEqual(['.spec.tags', '.spec.tags[="a"]']);
    expect(owned(forced.managers, applier('kubectl'))).toEqual(['.spec.replicas', '.spec.tags[="a"]', '.spec.tags[="b"]']);
  });

  it('shares ownership without conflict when applying the value a field already has', () => {
    const live = { ...base, spec: { replicas: 1 } };
    const managers = recordUpdate(ctx({ spec: {} }), live, who('creator'));
    const result = apply(live, managers, { spec: { replicas: 1 } });
    expect(result.changed).toBe(false);
    expect(owned(result.managers, updater('creator'))).toEqual(['.spec.replicas']);
    expect(owned(result.managers, applier('kubectl'))).toEqual(['.spec.replicas']);
    // The applier changed nothing, so its entry has no time (as in Kubernetes).
    expect(result.managers.get(applier('kubectl'))!.time).toBeUndefined();
  });

  it('changes nothing when the same configuration is applied again', () => {
    const first = apply({}, new Map(), { spec: { replicas: 2, items: [{ name: 'x', value: '1' }] } });
    const again = apply(first.object, first.managers, { spec: { replicas: 2, items: [{ name: 'x', value: '1' }] } }, 'kubectl', false, t2);
    expect(again.changed).toBe(false);
    expect(again.managers).toEqual(first.managers);
    expect(again.managers.get(applier('kubectl'))!.time).toBe(t1);
  });

  it('removes a struct it stops applying once nobody owns anything in it', () => {
    const first = apply({}, new Map(), { spec: { replicas: 1, strategy: { type: 'R', maxSurge: 1 } } });
    const second = apply(first.object, first.managers, { spec: { replicas: 1 } }, 'kubectl', false, t2);
    expect((second.object as { spec: unknown }).spec).toEqual({ replicas: 1 });
  });
});
