import { admit, causesOf } from '../testing';
import { endpointsKind } from './endpoints';

const meta = { name: 'web', namespace: 'default' };

describe('Endpoints', () => {
  it('admits endpoints as the endpoints controller writes them, defaulting the protocol', () => {
    const ep = admit(endpointsKind, {
      metadata: meta,
      subsets: [
        {
          addresses: [{ ip: '10.244.1.5', nodeName: 'worker-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u1' } }],
          notReadyAddresses: [{ ip: 'fd00::5', hostname: 'web-1' }],
          ports: [
            { name: 'http', port: 8080 },
            { name: 'dns', port: 53, protocol: 'UDP', appProtocol: 'dns' },
          ],
        },
      ],
    });
    expect(ep.subsets?.[0]?.ports?.[0]?.protocol).toBe('TCP');
    expect(endpointsKind.plural).toBe('endpoints');
    expect(endpointsKind.singular).toBe('endpoints');
  });

  it('requires addresses, valid non-special IPs and valid ports', () => {
    expect(
      causesOf(() =>
        admit(endpointsKind, {
          metadata: meta,
          subsets: [
            { ports: [{ port: 80 }] },
            { addresses: [{ ip: '10.0.0.256' }, { ip: '127.0.0.1', hostname: 'Web_0' }, { ip: '10.0.0.2', nodeName: 'Node_1' }], ports: [{ port: 80 }, { name: 'b', port: 70000 }] },
          ],
        }),
      ),
    ).toEqual([
      'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
      'subsets[1].addresses[0].ip: Invalid value: "10.0.0.256": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      expect.stringMatching(/^subsets\[1\]\.addresses\[1\]\.hostname: Invalid value: "Web_0": a lowercase RFC 1123 label/),
      'subsets[1].addresses[1].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      expect.stringMatching(/^subsets\[1\]\.addresses\[2\]\.nodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain/),
      'subsets[1].ports[0].name: Required value',
      'subsets[1].ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
  });

  it('requires ip (schema) and rejects unknown fields', () => {
    expect(causesOf(() => admit(endpointsKind, { metadata: meta, subsets: [{ addresses: [{ hostname: 'a' }] }] }))).toEqual(['subsets[0].addresses[0].ip: Required value']);
    expect(() => admit(endpointsKind, { metadata: meta, subsets: [{ addresses: [{ ip: '10.0.0.1', zone: 'a' }] }] })).toThrow('strict decoding error: unknown field "subsets[0].addresses[0].zone"');
  });
});
