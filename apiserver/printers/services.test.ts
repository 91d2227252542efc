import type { Endpoints } from '../../api/kinds/core/endpoints';
import type { Service } from '../../api/kinds/core/service';
import { endpointsPrinter, servicePrinter } from './services';
import { ago, columnNames, printRow } from './testing';

const metadata = { name: 'web', namespace: 'default', creationTimestamp: ago(2 * 86400 + 4 * 3600) };
type Stored<T> = T & { metadata: typeof metadata };

function service(spec: NonNullable<Service['spec']>, status?: Service['status']): Stored<Service> {
  return { metadata, spec, ...(status ? { status } : {}) };
}

describe('service printer', () => {
  it('prints TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE and, wide, SELECTOR', () => {
    expect(columnNames(servicePrinter)).toEqual({
      normal: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
      wide: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR'],
    });
    const svc = service({ type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], selector: { tier: 'front', app: 'web' } });
    expect(printRow(servicePrinter, svc)).toEqual({ Name: 'web', Type: 'ClusterIP', 'Cluster-IP': '10.96.0.10', 'External-IP': '<none>', 'Port(s)': '80/TCP,53/UDP', Age: '2d4h', Selector: 'app=web,tier=front' });
  });

  it('prints node ports, external IPs and load balancer ingress', () => {
    const nodePort = service({ type: 'NodePort', clusterIPs: ['10.96.0.11'], externalIPs: ['192.0.2.1', '192.0.2.2'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] });
    expect(printRow(servicePrinter, nodePort)).toMatchObject({ 'External-IP': '192.0.2.1,192.0.2.2', 'Port(s)': '80:30080/TCP', Selector: '<none>' });
    const pending = service({ type: 'LoadBalancer', clusterIPs: ['10.96.0.12'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] });
    expect(printRow(servicePrinter, pending)['External-IP']).toBe('<pending>');
    const ingress = { loadBalancer: { ingress: [{ hostname: 'lb.example.com' }, { ip: '203.0.113.9' }, { ip: '203.0.113.9' }] } };
    expect(printRow(servicePrinter, service({ ...pending.spec!, externalIPs: ['192.0.2.3'] }, ingress))['External-IP']).toBe('203.0.113.9,lb.example.com,192.0.2.3');
  });

  it('prints an ExternalName service and a headless one', () => {
    expect(printRow(servicePrinter, service({ type: 'ExternalName', externalName: 'db.example.com' }))).toMatchObject({ 'Cluster-IP': '<none>', 'External-IP': 'db.example.com', 'Port(s)': '<none>' });
    expect(printRow(servicePrinter, service({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] }))['Cluster-IP']).toBe('None');
  });
});

describe('endpoints printer', () => {
  it('prints up to three addresses with their ports, then how many more', () => {
    expect(columnNames(endpointsPrinter).normal).toEqual(['NAME', 'ENDPOINTS', 'AGE']);
    const ep: Stored<Endpoints> = {
      metadata,
      subsets: [
        { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80, name: 'http' }, { port: 443, name: 'https' }] },
        { addresses: [{ ip: 'fd00::5' }], ports: [{ port: 8080 }] },
      ],
    };
    expect(printRow(endpointsPrinter, ep)).toEqual({ Name: 'web', Endpoints: '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...', Age: '2d4h' });
    expect(printRow(endpointsPrinter, { metadata, subsets: [ep.subsets![1]!] }).Endpoints).toBe('[fd00::5]:8080');
    expect(printRow(endpointsPrinter, { metadata, subsets: [{ addresses: [{ ip: '10.0.0.9' }] }] }).Endpoints).toBe('10.0.0.9');
    expect(printRow(endpointsPrinter, { metadata }).Endpoints).toBe('<none>');
  });
});
