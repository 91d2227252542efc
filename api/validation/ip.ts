/**
 * IP address and CIDR syntax as Kubernetes checks it for its legacy fields (v1.32, where the
 * StrictIPCIDRValidation gate is off): k8s.io/utils/net ParseIPSloppy and ParseCIDRSloppy, which
 * are Go's net.ParseIP / net.ParseCIDR but accept leading zeros in IPv4 octets. IPv6 zones
 * (`fe80::1%eth0`) are rejected, as Go does. Field-level checks carry Kubernetes' messages.
 */
import * as field from '../field/errors';
import type { FieldError } from '../field/errors';
import type { FieldPath } from '../field/path';

export type IPFamily = 'IPv4' | 'IPv6';

/** A parsed address: always 16 bytes, IPv4 as an IPv4-mapped IPv6 address (Go's net.IP). */
export interface ParsedIP {
  readonly bytes: Uint8Array;
  /** IPv4, or IPv6 that is IPv4-mapped (Go's `To4() != nil`). */
  readonly family: IPFamily;
}

const v4MappedPrefix = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const part of parts) {
    // Sloppy: leading zeros allowed and read as decimal.
    if (!/^[0-9]+$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseIPv6(s: string): number[] | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (text: string, allowV4Tail: boolean): number[] | undefined => {
    if (text === '') return [];
    const groups = text.split(':');
    const bytes: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (allowV4Tail && i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g);
        if (!v4) return undefined;
        bytes.push(...v4);
        continue;
      }
      if (!/^[0-9a-fA-F]+$/.test(g)) return undefined;
      const n = parseInt(g, 16);
      if (n > 0xffff) return undefined;
      bytes.push(n >> 8, n & 0xff);
    }
    return bytes;
  };
  if (halves.length === 1) {
    const bytes = parseGroups(halves[0]!, true);
    return bytes && bytes.length === 16 ? bytes : undefined;
  }
  const head = parseGroups(halves[0]!, false);
  const tail = parseGroups(halves[1]!, true);
  if (!head || !tail) return undefined;
  // The ellipsis must stand for at least one zero group.
  const missing = 16 - head.length - tail.length;
  if (missing < 2) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

function isV4Mapped(bytes: readonly number[] | Uint8Array): boolean {
  return v4MappedPrefix.every((b, i) => bytes[i] === b);
}

/** Parses an IPv4 or IPv6 address the way ParseIPSloppy does; undefined when it is not one. */
export function parseIP(value: string): ParsedIP | undefined {
  if (value.includes('%')) return undefined;
  const v4 = parseIPv4(value);
  if (v4) return { bytes: Uint8Array.from([...v4MappedPrefix, ...v4]), family: 'IPv4' };
  if (!value.includes(':')) return undefined;
  const v6 = parseIPv6(value);
  if (!v6) return undefined;
  return { bytes: Uint8Array.from(v6), family: isV4Mapped(v6) ? 'IPv4' : 'IPv6' };
}

/** A parsed CIDR: the address as written and the prefix length. */
export interface ParsedCIDR {
  readonly ip: ParsedIP;
  readonly prefixLength: number;
  /** IPv4 when the address was written as IPv4 or IPv4-mapped IPv6. */
  readonly family: IPFamily;
}

/** Parses `address/prefix` the way ParseCIDRSloppy does (host bits may be set). */
export function parseCIDR(value: string): ParsedCIDR | undefined {
  const slash = value.indexOf('/');
  if (slash < 0) return undefined;
  const addr = value.slice(0, slash);
  const mask = value.slice(slash + 1);
  if (addr.includes('%')) return undefined;
  const v4 = parseIPv4(addr);
  const ip = parseIP(addr);
  if (!ip || !/^[0-9]+$/.test(mask)) return undefined;
  const bits = v4 ? 32 : 128;
  const prefixLength = Number(mask);
  if (prefixLength > bits) return undefined;
  return { ip, prefixLength, family: ip.family };
}

export function isValidIP(value: string): boolean {
  return parseIP(value) !== undefined;
}

export function isValidCIDR(value: string): boolean {
  return parseCIDR(value) !== undefined;
}

/** True for a valid address that is not IPv4 (nor IPv4-mapped), as netutils.IsIPv6String. */
export function isIPv6String(value: string): boolean {
  return parseIP(value)?.family === 'IPv6';
}

/** True when the addresses are all valid and hold at least one of each family (netutils.IsDualStackIPStrings). */
export function isDualStackIPs(values: readonly string[]): boolean {
  const families = new Set(values.map((v) => parseIP(v)?.family));
  return !families.has(undefined) && families.has('IPv4') && families.has('IPv6');
}

/** The same for CIDRs (netutils.IsDualStackCIDRStrings). */
export function isDualStackCIDRs(values: readonly string[]): boolean {
  const families = new Set(values.map((v) => parseCIDR(v)?.family));
  return !families.has(undefined) && families.has('IPv4') && families.has('IPv6');
}

/** validation.IsValidIP: `must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`. */
export function validateIP(path: FieldPath, value: string): FieldError[] {
  return isValidIP(value) ? [] : [field.invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

/** validation.IsValidCIDR: `must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`. */
export function validateCIDR(path: FieldPath, value: string): FieldError[] {
  return isValidCIDR(value) ? [] : [field.invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

/**
 * ValidateEndpointIP / ValidateNonSpecialIP: addresses that make no sense as endpoints or external
 * IPs (unspecified, loopback, link-local). Unparsable values give no error here: check them first.
 */
export function validateNonSpecialIP(path: FieldPath, value: string): FieldError[] {
  const ip = parseIP(value);
  if (!ip) return [];
  const b = ip.bytes;
  const errs: FieldError[] = [];
  const v4 = ip.family === 'IPv4';
  const unspecified = v4 ? b[12] === 0 && b[13] === 0 && b[14] === 0 && b[15] === 0 : b.every((x) => x === 0);
  const loopback = v4 ? b[12] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
  const linkLocalUnicast = v4 ? b[12] === 169 && b[13] === 254 : b[0] === 0xfe && (b[1]! & 0xc0) === 0x80;
  const linkLocalMulticast = v4 ? b[12] === 224 && b[13] === 0 && b[14] === 0 : b[0] === 0xff && (b[1]! & 0x0f) === 0x02;
  if (unspecified) errs.push(field.invalid(path, value, `may not be unspecified (${value})`));
  if (loopback) errs.push(field.invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (linkLocalUnicast) errs.push(field.invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (linkLocalMulticast) errs.push(field.invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}
