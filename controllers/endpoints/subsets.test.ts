import type { Endpoints, EndpointSubset } from '../../api/kinds/core/endpoints';
import type { Pod } from '../../api/kinds/core/pod';
import type { Service } from '../../api/kinds/core/service';
import { capacityAnnotationSetCorrectly, computeSubsets, findPort, podAddress, repackSubsets, shouldPodBeInEndpoints, truncateEndpoints } from './subsets';
import { formatTriggerTime, TriggerTimeTracker } from './triggerTime';

const pod = (name: string, ip: string | undefined, ready: boolean, extra: Partial<Pod> = {}, httpPort = 8080): Pod => ({
  metadata: { name, namespace: 'ns', uid: `uid-${name}` },
  spec: { nodeName: 'n', containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: httpPort, protocol: 'TCP' }] }] },
  ...extra,
  status: { phase: 'Running', ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}), conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }], ...extra.status },
});
const service = (spec: Service['spec']): Service => ({ metadata: { name: 'svc', namespace: 'ns' }, spec });

describe('endpoint addresses', () => {
  it('includes pods with an IP that are not finished and not being deleted', () => {
    expect(shouldPodBeInEndpoints(pod('a', '10.0.0.1', true), false)).toBe(true);
    expect(shouldPodBeInEndpoints(pod('a', undefined, true), false)).toBe(false);
    expect(shouldPodBeInEndpoints(pod('a', '10.0.0.1', true, { status: { phase: 'Failed' } }), true)).toBe(false);
    const deleting = pod('a', '10.0.0.1', true, { metadata: { name: 'a', deletionTimestamp: '2024-01-01T00:00:00Z' } });
    expect(shouldPodBeInEndpoints(deleting, false)).toBe(false);
    expect(shouldPodBeInEndpoints(deleting, true)).toBe(true);
  });

  it('resolves numbers and named ports (same protocol, sidecars included)', () => {
    const p = pod('a', '10.0.0.1', true);
    expect(findPort(p, { port: 80 })).toBe(80);
    expect(findPort(p, { port: 80, targetPort: 9000 })).toBe(9000);
    expect(findPort(p, { port: 80, targetPort: 'http' })).toBe(8080);
    expect(findPort(p, { port: 80, targetPort: 'http', protocol: 'UDP' })).toBeUndefined();
    const sidecar: Pod = { ...p, spec: { ...p.spec!, initContainers: [{ name: 's', image: 'x', restartPolicy: 'Always', ports: [{ name: 'admin', containerPort: 9901 }] }] } };
    expect(findPort(sidecar, { port: 80, targetPort: 'admin' })).toBe(9901);
  });

  it('picks the pod IP of the service\'s family', () => {
    const dual = pod('a', '10.0.0.1', true, { status: { podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] } });
    expect(podAddress(service({ ipFamilies: ['IPv6'] }), dual)?.ip).toBe('fd00::1');
    expect(podAddress(service({ clusterIP: '10.96.0.1' }), dual)?.ip).toBe('10.0.0.1');
    expect(podAddress(service({ ipFamilies: ['IPv6'] }), pod('b', '10.0.0.2', true))).toBeUndefined();
  });
});

describe('subsets', () => {
  const svc = service({ selector: { app: 'x' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] });

  it('puts ready and not-ready addresses together, and different port numbers apart', () => {
    const { subsets, ready, notReady } = computeSubsets(svc, [pod('b', '10.0.0.2', false), pod('a', '10.0.0.1', true), pod('c', '10.0.0.3', true, {}, 9090)]);
    expect(ready).toBe(2);
    expect(notReady).toBe(1);
    expect(subsets.map((s) => [s.addresses?.map((a) => a.ip), s.notReadyAddresses?.map((a) => a.ip), s.ports?.map((p) => p.port)])).toEqual([
      [['10.0.0.1'], ['10.0.0.2'], [8080]],
      [['10.0.0.3'], undefined, [9090]],
    ]);
  });

  it('treats every address as ready when not-ready addresses are published', () => {
    const { subsets } = computeSubsets({ ...svc, spec: { ...svc.spec, publishNotReadyAddresses: true } }, [pod('b', '10.0.0.2', false)]);
    expect(subsets).toEqual([{ addresses: [expect.objectContaining({ ip: '10.0.0.2' })], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]);
  });

  it('repacks: an address not ready on one port is not ready there only; same address sets share a subset', () => {
    const a = { ip: '10.0.0.1', targetRef: { uid: 'a' } };
    const b = { ip: '10.0.0.2', targetRef: { uid: 'b' } };
    const input: EndpointSubset[] = [
      { addresses: [a], ports: [{ port: 1 }] },
      { notReadyAddresses: [a], ports: [{ port: 2 }] },
      { addresses: [b], ports: [{ port: 1 }] },
      { addresses: [b], ports: [{ port: 2 }] },
      { addresses: [a], ports: [{ port: 2 }] },
    ];
    expect(repackSubsets(input)).toEqual([
      { addresses: [a, b], ports: [{ port: 1 }] },
      { addresses: [b], notReadyAddresses: [a], ports: [{ port: 2 }] },
    ]);
    expect(repackSubsets([{ addresses: [b] }, { addresses: [a] }])).toEqual([{ addresses: [a, b] }]);
  });

  it('truncates beyond capacity, not-ready addresses first, keeping proportions', () => {
    const addrs = (n: number, base: string) => Array.from({ length: n }, (_, i) => ({ ip: `${base}.${i}` }));
    const ep: Endpoints = { subsets: [{ addresses: addrs(3, '10.0.0'), notReadyAddresses: addrs(4, '10.0.1') }, { addresses: addrs(1, '10.0.2'), notReadyAddresses: addrs(4, '10.0.3') }] };
    expect(truncateEndpoints(ep, 8)).toBe(true);
    expect(ep.subsets!.map((s) => [(s.addresses ?? []).length, (s.notReadyAddresses ?? []).length])).toEqual([[3, 2], [1, 2]]);
    const ready: Endpoints = { subsets: [{ addresses: addrs(6, '10.1.0'), notReadyAddresses: addrs(1, '10.1.1') }, { addresses: addrs(4, '10.1.2') }] };
    expect(truncateEndpoints(ready, 5)).toBe(true);
    expect(ready.subsets!.map((s) => [(s.addresses ?? []).length, (s.notReadyAddresses ?? []).length])).toEqual([[3, 0], [2, 0]]);
    expect(truncateEndpoints({ subsets: [{ addresses: addrs(2, '10.2.0') }] }, 5)).toBe(false);
    expect(capacityAnnotationSetCorrectly({ 'endpoints.kubernetes.io/over-capacity': 'truncated' }, [{ addresses: addrs(2, '10.2.0') }], 5)).toBe(false);
    expect(capacityAnnotationSetCorrectly(undefined, [{ addresses: addrs(2, '10.2.0') }], 5)).toBe(true);
  });
});

describe('last change trigger time', () => {
  const at = (s: number) => new Date(s * 1000).toISOString();
  const svcAt = (s: number): Service => ({ metadata: { name: 'svc', creationTimestamp: at(s) } });
  const readyAt = (name: string, s: number): Pod => ({ metadata: { name }, status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at(s) }] } });

  it('is the Service creation at first, then the earliest change since the last sync, or nothing', () => {
    const t = new TriggerTimeTracker();
    expect(t.compute('k', svcAt(10), [readyAt('a', 20)])).toBe(10_000);
    expect(t.compute('k', svcAt(10), [readyAt('a', 20)])).toBeUndefined();
    expect(t.compute('k', svcAt(10), [readyAt('a', 20), readyAt('b', 40), readyAt('c', 30)])).toBe(30_000);
    expect(t.compute('k', svcAt(10), [readyAt('a', 50)])).toBe(50_000);
    t.delete('k');
    expect(t.compute('k', svcAt(10), [])).toBe(10_000);
  });

  it('is written as RFC 3339 (fractions only when there are some)', () => {
    expect(formatTriggerTime(Date.parse('2024-05-01T10:00:00Z'))).toBe('2024-05-01T10:00:00Z');
    expect(formatTriggerTime(Date.parse('2024-05-01T10:00:00.250Z'))).toBe('2024-05-01T10:00:00.250Z');
  });
});
