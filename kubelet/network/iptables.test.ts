import { egressChainName, egressRules, EgressGuard } from './iptables';

test('the egress guard drops what leaves the allowed ranges and is removed completely', async () => {
  expect(egressRules(['10.0.0.0/8'])).toEqual([
    ['-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'RETURN'],
    ['-d', '10.0.0.0/8', '-j', 'RETURN'],
    ['-j', 'DROP'],
  ]);
  const calls: string[] = [];
  let jumpInstalled = false;
  const guard = new EgressGuard({
    chain: egressChainName('mrn0'),
    source: '10.244.1.0/24',
    allowed: ['10.244.0.0/16'],
    iptables: async (args) => {
      calls.push(args.join(' '));
      if (args[0] === '-I') jumpInstalled = true;
      if (args[0] === '-D') jumpInstalled = false;
      const code = args[0] === '-C' ? (jumpInstalled ? 0 : 1) : 0;
      return { code, stdout: '', stderr: '' };
    },
  });
  await guard.install();
  expect(calls).toContain('-I FORWARD -s 10.244.1.0/24 -j MRN-EGRESS-mrn0');
  expect(calls).toContain('-A MRN-EGRESS-mrn0 -j DROP');
  await guard.remove();
  expect(calls.slice(-2)).toEqual(['-F MRN-EGRESS-mrn0', '-X MRN-EGRESS-mrn0']);
  expect(jumpInstalled).toBe(false);
});
