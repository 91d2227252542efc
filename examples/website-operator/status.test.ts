import type { Deployment } from '../../api/kinds/apps/deployment';
import type { Service } from '../../api/kinds/core/service';
import { addressOf, computeStatus } from './status';
import { newWebSite, type WebSite } from './types';

const t1 = new Date('2026-01-01T10:00:00Z');
const t2 = new Date('2026-01-01T10:05:00Z');

function site(generation: number, replicas = 2): WebSite {
  const s = newWebSite('web', { content: 'x', replicas, port: 8080 }, 'ns');
  s.metadata.generation = generation;
  return s;
}

function deployment(status: NonNullable<Deployment['status']>, generation = 1): Deployment {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'ns', generation }, spec: { selector: {}, template: {} }, status };
}

const service: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'ns' }, spec: {} };
const conditions = (s: ReturnType<typeof computeStatus>) => Object.fromEntries((s.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`]));

describe('computeStatus', () => {
  it('a new site whose Deployment has no pods yet: not available, progressing', () => {
    const status = computeStatus(undefined, { site: site(1), deployment: deployment({}), service }, t1);
    expect(status).toMatchObject({ observedGeneration: 1, availableReplicas: 0, address: 'web.ns.svc:8080', selector: 'app.kubernetes.io/name=website,app.kubernetes.io/instance=web' });
    expect(conditions(status)).toEqual({ Available: 'False/ReplicasUnavailable', Progressing: 'True/RollingOut', Degraded: 'False/AsExpected' });
    expect(status.conditions?.every((c) => c.observedGeneration === 1 && c.lastTransitionTime === '2026-01-01T10:00:00Z')).toBe(true);
  });

  it('every replica available and rolled out: available, not progressing; transition times move only on a change', () => {
    const first = computeStatus(undefined, { site: site(1), deployment: deployment({}), service }, t1);
    const ready = deployment({ observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
    const second = computeStatus(first, { site: site(1), deployment: ready, service }, t2);
    expect(conditions(second)).toEqual({ Available: 'True/MinimumReplicasAvailable', Progressing: 'False/RolloutComplete', Degraded: 'False/AsExpected' });
    const times = Object.fromEntries((second.conditions ?? []).map((c) => [c.type, c.lastTransitionTime]));
    expect(times).toEqual({ Available: '2026-01-01T10:05:00Z', Progressing: '2026-01-01T10:05:00Z', Degraded: '2026-01-01T10:00:00Z' });
    // The same observation again: the very same status (so no write).
    expect(computeStatus(second, { site: site(1), deployment: ready, service }, new Date('2026-01-01T11:00:00Z'))).toEqual(second);
  });

  it('a Deployment that has not seen its latest spec is still progressing', () => {
    const stale = deployment({ observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }, 2);
    expect(conditions(computeStatus(undefined, { site: site(2), deployment: stale, service }, t1))['Progressing']).toBe('True/RollingOut');
  });

  it('a problem is Degraded with its reason; the last known address is kept', () => {
    const before = computeStatus(undefined, { site: site(1), deployment: deployment({}), service }, t1);
    const status = computeStatus(before, { site: site(2), problem: { reason: 'ConfigMapNotFound', message: 'ConfigMap ns/page not found' } }, t2);
    expect(status.conditions?.find((c) => c.type === 'Degraded')).toMatchObject({ status: 'True', reason: 'ConfigMapNotFound', message: 'ConfigMap ns/page not found', observedGeneration: 2 });
    expect(status.address).toBe('web.ns.svc:8080');
    expect(status.availableReplicas).toBe(0);
  });

  it('addressOf: the ClusterIP once allocated, else the DNS name', () => {
    expect(addressOf({ ...service, spec: { clusterIP: '10.96.0.12' } }, 80)).toBe('10.96.0.12:80');
    expect(addressOf({ ...service, spec: { clusterIP: 'None' } }, 80)).toBe('web.ns.svc:80');
    expect(addressOf(service, 8080)).toBe('web.ns.svc:8080');
  });
});
