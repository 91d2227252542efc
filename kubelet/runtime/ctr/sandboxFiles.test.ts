import { hostsFileContent, resolvConfContent } from './sandboxFiles';

test('pod /etc files: hosts with the pod name and aliases, resolv.conf from the pod DNS', () => {
  const hosts = hostsFileContent({ hostname: 'web', ip: '10.1.2.3', aliases: [{ ip: '1.2.3.4', hostnames: ['a', 'b'] }] });
  expect(hosts).toContain('127.0.0.1\tlocalhost\n');
  expect(hosts).toContain('10.1.2.3\tweb\n');
  expect(hosts).toContain('1.2.3.4\ta\tb\n');
  expect(resolvConfContent({ nameservers: ['10.0.0.10'], searches: ['default.svc.cluster.local'], options: ['ndots:5'] }, 'host')).toBe('nameserver 10.0.0.10\nsearch default.svc.cluster.local\noptions ndots:5\n');
  expect(resolvConfContent(undefined, 'nameserver 1.1.1.1\n')).toBe('nameserver 1.1.1.1\n');
});
