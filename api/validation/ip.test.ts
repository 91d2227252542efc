import { isDualStackCIDRs, isDualStackIPs, isIPv6String, isValidCIDR, isValidIP, parseIP, validateCIDR, validateIP, validateNonSpecialIP } from './ip';

describe('IP syntax (ParseIPSloppy)', () => {
  it.each(['1.2.3.4', '010.001.0.1', '::', '::1', '2001:db8::ffff', 'fe80::1:2', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:1.2.3.4'])('accepts %s', (ip) => {
    expect(isValidIP(ip)).toBe(true);
  });

  it.each(['', '1.2.3', '1.2.3.256', ' 1.2.3.4', '1.2.3.4 ', 'fe80::1%eth0', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8', ':1::', 'abc', '0x1.1.1.1', '1.2.3.4/32'])('rejects %j', (ip) => {
    expect(isValidIP(ip)).toBe(false);
  });

  it('tells families apart, IPv4-mapped addresses counting as IPv4', () => {
    expect(parseIP('::ffff:10.0.0.1')?.family).toBe('IPv4');
    expect(isIPv6String('2001:db8::1')).toBe(true);
    expect(isIPv6String('10.0.0.1')).toBe(false);
    expect(isDualStackIPs(['10.0.0.1', '2001:db8::1'])).toBe(true);
    expect(isDualStackIPs(['10.0.0.1', '10.0.0.2'])).toBe(false);
    expect(isDualStackIPs(['10.0.0.1', 'bad'])).toBe(false);
  });
});

describe('CIDR syntax (ParseCIDRSloppy)', () => {
  it.each(['10.0.0.0/8', '10.0.0.1/24', '0.0.0.0/0', '2001:db8::/64', '::/0', '::ffff:1.2.3.0/120'])('accepts %s', (cidr) => {
    expect(isValidCIDR(cidr)).toBe(true);
  });

  it.each(['10.0.0.0', '10.0.0.0/33', '2001:db8::/129', '10.0.0.0/', '10.0.0.0/-1', 'x/8', '10.0.0.0/8/8'])('rejects %j', (cidr) => {
    expect(isValidCIDR(cidr)).toBe(false);
  });

  it('checks dual-stack pairs', () => {
    expect(isDualStackCIDRs(['10.0.0.0/24', 'fd00::/64'])).toBe(true);
    expect(isDualStackCIDRs(['10.0.0.0/24', '10.1.0.0/24'])).toBe(false);
  });
});

describe('field errors', () => {
  it('use Kubernetes messages', () => {
    expect(validateIP('spec.ip', 'x')).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.ip', badValue: 'x', detail: 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)' },
    ]);
    expect(validateCIDR('spec.cidr', '10.0.0.1')[0]?.detail).toBe('must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)');
    expect(validateIP('spec.ip', '10.0.0.1')).toEqual([]);
  });

  it('reject special addresses for endpoints', () => {
    const detail = (ip: string) => validateNonSpecialIP('ip', ip).map((e) => e.detail);
    expect(detail('0.0.0.0')).toEqual(['may not be unspecified (0.0.0.0)']);
    expect(detail('::')).toEqual(['may not be unspecified (::)']);
    expect(detail('127.0.0.5')).toEqual(['may not be in the loopback range (127.0.0.0/8, ::1/128)']);
    expect(detail('::1')).toEqual(['may not be in the loopback range (127.0.0.0/8, ::1/128)']);
    expect(detail('169.254.169.254')).toEqual(['may not be in the link-local range (169.254.0.0/16, fe80::/10)']);
    expect(detail('fe80::1')).toEqual(['may not be in the link-local range (169.254.0.0/16, fe80::/10)']);
    expect(detail('224.0.0.251')).toEqual(['may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)']);
    expect(detail('ff02::1')).toEqual(['may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)']);
    expect(detail('::ffff:127.0.0.1')).toEqual(['may not be in the loopback range (127.0.0.0/8, ::1/128)']);
    expect(detail('10.1.2.3')).toEqual([]);
    expect(detail('2001:db8::1')).toEqual([]);
    expect(detail('not-an-ip')).toEqual([]);
  });
});
