/** Services (TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, wide SELECTOR) and endpoints. */
import { endpointsKind, type Endpoints } from '../../api/kinds/core/endpoints';
import { serviceKind, type Service } from '../../api/kinds/core/service';
import { since } from './duration';
import { formatLabels, joinHostPort } from './format';
import { ageColumn, column, definePrinter, fieldDoc, nameColumn } from './printer';

/** The load balancer's ingress points (IP, else hostname), sorted and de-duplicated. */
function loadBalancerIngress(svc: Service): string[] {
  const points = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean);
  return [...new Set(points)].sort();
}

/** getServiceExternalIP, as the server prints it (wide: load balancer addresses are not cut short). */
function externalIP(svc: Service): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const all = [...loadBalancerIngress(svc), ...externalIPs];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return svc.spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** makePortString: `80/TCP`, or `80:30080/TCP` with a node port. */
function ports(svc: Service): string {
  const text = (svc.spec?.ports ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port}/${p.protocol ?? ''}`)).join(',');
  return text || '<none>';
}

const serviceDoc = (field: string) => fieldDoc(serviceKind.schema, `spec.${field}`);

export const servicePrinter = definePrinter<Service>({
  columns: [
    nameColumn,
    column('Type', 'string', serviceDoc('type')),
    column('Cluster-IP', 'string', serviceDoc('clusterIP')),
    column('External-IP', 'string', serviceDoc('externalIPs')),
    column('Port(s)', 'string', serviceDoc('ports')),
    ageColumn,
    column('Selector', 'string', serviceDoc('selector'), { priority: 1 }),
  ],
  cells(svc, now) {
    return [
      svc.metadata.name ?? '',
      svc.spec?.type ?? '',
      svc.spec?.clusterIPs?.[0] ?? '<none>',
      externalIP(svc),
      ports(svc),
      since(svc.metadata.creationTimestamp, now),
      formatLabels(svc.spec?.selector),
    ];
  },
});

/** formatEndpoints: the first three addresses (with each port), then "+ N more...". */
function formatEndpoints(endpoints: Endpoints): string {
  const subsets = endpoints.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  for (const subset of subsets) {
    const addresses = subset.addresses ?? [];
    // A headless service may have no ports: its addresses alone.
    const portList = subset.ports?.length ? subset.ports.map((p) => p.port) : [undefined];
    for (const port of portList) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) break;
        list.push(port === undefined ? a.ip : joinHostPort(a.ip, port));
      }
    }
  }
  const text = list.join(',');
  return count > max ? `${text} + ${count - max} more...` : text;
}

export const endpointsPrinter = definePrinter<Endpoints>({
  columns: [nameColumn, column('Endpoints', 'string', fieldDoc(endpointsKind.schema, 'subsets')), ageColumn],
  cells(ep, now) {
    return [ep.metadata.name ?? '', formatEndpoints(ep), since(ep.metadata.creationTimestamp, now)];
  },
});
