import { decodeObject, defaultObject, validateObject } from '../decode';
import { admit, causesOf, websiteManifests } from '../testing';
import { prepareServiceUpdate, serviceKind, type Service } from './service';

/** An update as the registry does it: prepare, default, validate against the old object. */
function update(old: Service, body: unknown): Service {
  const { object } = decodeObject(serviceKind, body, 'Strict');
  object.status = structuredClone(old.status);
  prepareServiceUpdate(object, old);
  defaultObject(serviceKind, object);
  validateObject(serviceKind, object, old);
  return object;
}

const meta = { name: 'web', namespace: 'default' };

describe('Service', () => {
  it('defaults a plain ClusterIP service as Kubernetes does', () => {
    const svc = admit(serviceKind, { metadata: meta, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    });
    expect(svc.status).toEqual({ loadBalancer: {} });
  });

  it('defaults LoadBalancer fields and ClientIP affinity', () => {
    const svc = admit(serviceKind, { metadata: meta, spec: { type: 'LoadBalancer', sessionAffinity: 'ClientIP', ports: [{ port: 443, targetPort: 'https' }] } });
    expect(svc.spec?.externalTrafficPolicy).toBe('Cluster');
    expect(svc.spec?.allocateLoadBalancerNodePorts).toBe(true);
    expect(svc.spec?.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    expect(svc.spec?.ports?.[0]?.targetPort).toBe('https');
  });

  it('pairs clusterIP with clusterIPs and accepts headless services without ports', () => {
    const svc = admit(serviceKind, { metadata: meta, spec: { clusterIP: 'None', selector: { app: 'db' } } });
    expect(svc.spec?.clusterIPs).toEqual(['None']);
  });

  it('accepts ExternalName services without ports and without traffic policy defaults', () => {
    const svc = admit(serviceKind, { metadata: meta, spec: { type: 'ExternalName', externalName: 'db.example.com.' } });
    expect(svc.spec?.internalTrafficPolicy).toBeUndefined();
    expect(svc.spec?.externalTrafficPolicy).toBeUndefined();
  });

  it('admits every Service of the Kubernetes website manifests', () => {
    const docs = websiteManifests(serviceKind);
    expect(docs.length).toBeGreaterThanOrEqual(5);
    for (const { doc } of docs) {
      expect(() => admit(serviceKind, doc)).not.toThrow();
    }
  });

  it('rejects wrong types with 400 and unknown fields in Strict mode', () => {
    expect(() => admit(serviceKind, { metadata: meta, spec: { ports: [{ port: '80' }] } })).toThrow(expect.objectContaining({ code: 400, message: expect.stringContaining('spec.ports[0].port') }));
    expect(() => admit(serviceKind, { metadata: meta, spec: { ports: [{ port: 80, nodeport: 30000 }] } })).toThrow('strict decoding error: unknown field "spec.ports[0].nodeport"');
  });

  it('rejects unsupported enum values (422)', () => {
    expect(causesOf(() => admit(serviceKind, { metadata: meta, spec: { type: 'Ingress', ports: [{ port: 80, protocol: 'HTTP' }] } }))).toEqual([
      'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.type: Unsupported value: "Ingress": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ]);
  });

  it('checks ports: required, range, names, uniqueness', () => {
    expect(causesOf(() => admit(serviceKind, { metadata: meta, spec: {} }))).toEqual(['spec.ports: Required value']);
    expect(causesOf(() => admit(serviceKind, { metadata: meta, spec: { ports: [{ port: 80 }, { port: 0, name: 'Bad_Name' }, { port: 80, name: 'Bad_Name', targetPort: 70000 }] } }))).toEqual([
      'spec.ports[0].name: Required value',
      expect.stringMatching(/^spec\.ports\[1\]\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label/),
      'spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      // targetPort defaults to port, so it is wrong too, as in Kubernetes.
      'spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
      expect.stringMatching(/^spec\.ports\[2\]\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label/),
      'spec.ports[2].name: Duplicate value: "Bad_Name"',
      'spec.ports[2].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.ports[2]: Duplicate value: {"port":80,"protocol":"TCP"}',
    ]);
    expect(causesOf(() => admit(serviceKind, { metadata: meta, spec: { ports: [{ port: 80, targetPort: '8080' }] } }))).toEqual([
      'spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)',
    ]);
  });

  it('allows the same port number on two protocols', () => {
    expect(() => admit(serviceKind, { metadata: meta, spec: { ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53 }] } })).not.toThrow();
  });

  it('keeps nodePort, externalName and clusterIP rules', () => {
    expect(causesOf(() => admit(serviceKind, { metadata: meta, spec: { ports: [{ port: 80, nodePort: 30080 }] } }))).toEqual([
      "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    ]);
    expect(() => admit(serviceKind, { metadata: meta, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] } })).not.toThrow();
    expect(causesOf(() => admit(serviceKind, { metadata: meta, spec: { type: 'ExternalName' } }))).toEqual(['spec.externalName: Required value']);
    expect(causesOf(() => admit(serviceKind, { metadata: meta, spec: { type: 'ExternalName', externalName: 'x.example', clusterIP: 'None' } }))).toEqual([
      'spec.clusterIPs: Forbidden: may not be set for ExternalName services',
    ]);
    expect(causesOf(() => admit(serviceKind, { metadata: meta, spec: { clusterIP: '10.0.0.300', ports: [{ port: 80 }] } }))).toEqual([
      'spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
    expect(causesOf(() => admit(serviceKind, { metadata: meta, spec: { type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] } }))).toEqual([
      "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services",
    ]);
    expect(causesOf(() => admit(serviceKind, { metadata: meta, spec: { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.2'], ports: [{ port: 80 }] } }))).toEqual([
      'spec.clusterIPs: Invalid value: ["10.0.0.2"]: first value must match `clusterIP`',
    ]);
    expect(() => admit(serviceKind, { metadata: meta, spec: { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', 'fd00::1'], ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 80 }] } })).not.toThrow();
  });

  it('checks selectors, external IPs, source ranges and traffic policies', () => {
    expect(
      causesOf(() =>
        admit(serviceKind, {
          metadata: meta,
          spec: { selector: { 'bad key!': 'x' }, externalIPs: ['127.0.0.1'], loadBalancerSourceRanges: ['10.0.0.0/8'], externalTrafficPolicy: 'Local', ports: [{ port: 80 }] },
        }),
      ),
    ).toEqual([
      expect.stringMatching(/^spec\.selector: Invalid value: "bad key!"/),
      'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ]);
    expect(causesOf(() => admit(serviceKind, { metadata: meta, spec: { externalTrafficPolicy: 'Local', ports: [{ port: 80 }] } }))).toEqual([
      'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
    ]);
    expect(causesOf(() => admit(serviceKind, { metadata: meta, spec: { healthCheckNodePort: 30001, ports: [{ port: 80 }] } }))).toEqual([
      "spec.healthCheckNodePort: Invalid value: 30001: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
    ]);
    expect(causesOf(() => admit(serviceKind, { metadata: meta, spec: { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } }, ports: [{ port: 80 }] } }))).toEqual([
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
    ]);
    expect(causesOf(() => admit(serviceKind, { metadata: meta, spec: { loadBalancerClass: 'example.com/lb', ports: [{ port: 80 }] } }))).toEqual([
      "spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ]);
  });

  it('names services as DNS-1035 labels', () => {
    expect(causesOf(() => admit(serviceKind, { metadata: { name: '1web', namespace: 'default' }, spec: { ports: [{ port: 80 }] } }))).toEqual([
      expect.stringMatching(/^metadata\.name: Invalid value: "1web": a DNS-1035 label/),
    ]);
  });

  it('keeps allocated values on update and forbids changing the cluster IP', () => {
    const old = admit(serviceKind, { metadata: meta, spec: { type: 'NodePort', clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, nodePort: 30080 }] } });
    // Re-applying the original manifest (no clusterIP, no nodePort) keeps what was there.
    const next = update(old, { metadata: meta, spec: { type: 'NodePort', ports: [{ name: 'http', port: 80 }] } });
    expect(next.spec?.clusterIP).toBe('10.96.0.10');
    expect(next.spec?.clusterIPs).toEqual(['10.96.0.10']);
    expect(next.spec?.ports?.[0]?.nodePort).toBe(30080);
    expect(causesOf(() => update(old, { metadata: meta, spec: { type: 'NodePort', clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'], ports: [{ name: 'http', port: 80 }] } }))).toEqual([
      'spec.clusterIPs[0]: Invalid value: ["10.96.0.11"]: may not change once set',
    ]);
  });

  it('wipes type-dependent fields when the type changes', () => {
    const old = admit(serviceKind, { metadata: meta, spec: { type: 'LoadBalancer', clusterIP: '10.96.0.10', loadBalancerClass: 'example.com/lb', ports: [{ port: 80, nodePort: 30080 }] } });
    const body = structuredClone(old) as Service;
    body.spec!.type = 'ClusterIP';
    const next = update(old, body);
    expect(next.spec?.ports?.[0]?.nodePort).toBeUndefined();
    expect(next.spec?.allocateLoadBalancerNodePorts).toBeUndefined();
    expect(next.spec?.loadBalancerClass).toBeUndefined();
    expect(next.spec?.externalTrafficPolicy).toBeUndefined();
    const toExternal = structuredClone(old) as Service;
    toExternal.spec!.type = 'ExternalName';
    toExternal.spec!.externalName = 'db.example.com';
    const external = update(old, toExternal);
    expect(external.spec?.clusterIP).toBeUndefined();
    expect(external.spec?.clusterIPs).toBeUndefined();
  });

  it('checks the load balancer status only when it changes', () => {
    const old = admit(serviceKind, { metadata: meta, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });
    const next = structuredClone(old) as Service;
    next.status = { loadBalancer: { ingress: [{ ip: '203.0.113.7' }, { hostname: '1.2.3.4' }] } };
    defaultObject(serviceKind, next);
    expect(next.status.loadBalancer?.ingress?.[0]?.ipMode).toBe('VIP');
    expect(causesOf(() => validateObject(serviceKind, next, old))).toEqual(['status.loadBalancer.ingress[1].hostname: Invalid value: "1.2.3.4": must be a DNS name, not an IP address']);
  });

  it('selects by spec.clusterIP and spec.type', () => {
    const svc = admit(serviceKind, { metadata: meta, spec: { clusterIP: 'None', ports: [{ port: 80 }] } });
    expect(serviceKind.selectableFields?.['spec.clusterIP']?.(svc)).toBe('None');
    expect(serviceKind.selectableFields?.['spec.type']?.(svc)).toBe('ClusterIP');
  });
});
