import { bridgeConflist, parseConflist, pluginConfig, resultIPs } from './cni';

test('the generated network is a bridge with host-local IPAM, no masquerading and no default route', () => {
  const list = bridgeConflist({ name: 'marina', bridge: 'mrn0', podCidr: '10.244.1.0/24', ipamDataDir: '/s/ipam', routes: ['10.244.0.0/16'] });
  const bridge = list.plugins[0]!;
  expect(bridge).toMatchObject({ type: 'bridge', bridge: 'mrn0', isGateway: true, isDefaultGateway: false, ipMasq: false });
  expect(bridge.ipam).toEqual({ type: 'host-local', ranges: [[{ subnet: '10.244.1.0/24' }]], dataDir: '/s/ipam', routes: [{ dst: '10.244.0.0/16' }] });
  expect(JSON.stringify(list)).not.toContain('0.0.0.0/0');
  expect(() => bridgeConflist({ name: 'm', bridge: 'a-very-long-bridge-name', podCidr: '10.0.0.0/24', ipamDataDir: '/x' })).toThrow(/longer than 15/);
  expect(pluginConfig(list, bridge, { ips: [] })).toMatchObject({ name: 'marina', cniVersion: list.cniVersion, prevResult: { ips: [] } });
});

test('conflists read from files are checked', () => {
  expect(parseConflist('{"name":"n","plugins":[{"type":"bridge"}]}', 'f').plugins).toHaveLength(1);
  expect(parseConflist('{"name":"n","type":"bridge"}', 'f').plugins).toHaveLength(1); // a single-plugin conf
  expect(() => parseConflist('nope', 'f')).toThrow(/f: not JSON/);
  expect(() => parseConflist('{"plugins":[]}', 'f')).toThrow(/no name/);
  expect(() => parseConflist('{"name":"n","plugins":[{}]}', 'f')).toThrow(/each with a type/);
});

test('result addresses lose their prefix length, IPv4 first', () => {
  expect(resultIPs({ ips: [{ address: 'fd00::5/64' }, { address: '10.1.0.5/24' }] })).toEqual(['10.1.0.5', 'fd00::5']);
});
