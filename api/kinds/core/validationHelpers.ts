/**
 * Small checks from k8s.io/apimachinery/pkg/util/validation that pod validation needs, with
 * Kubernetes' messages, each returning FieldErrors for one value at one path.
 */
import { isIP } from 'node:net';
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import type { FieldPath } from '../../field/path';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../../validation/names';

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

export const maxInt32 = 2147483647;

export function dns1123Label(value: string, path: FieldPath): FieldError[] {
  return isDNS1123Label(value).map((msg) => field.invalid(path, value, msg));
}

export function dns1123Subdomain(value: string, path: FieldPath): FieldError[] {
  return isDNS1123Subdomain(value).map((msg) => field.invalid(path, value, msg));
}

export function qualifiedName(value: string, path: FieldPath): FieldError[] {
  return isQualifiedName(value).map((msg) => field.invalid(path, value, msg));
}

/** A port number: 1-65535. */
export function portNumber(value: number, path: FieldPath): FieldError[] {
  return value >= 1 && value <= 65535 ? [] : [field.invalid(path, value, inclusiveRangeError(1, 65535))];
}

/** IANA_SVC_NAME: at most 15 lowercase alphanumerics or '-', with a letter, no '--', no '-' at either end. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** An IntOrString port: a number in range or an IANA_SVC_NAME. */
export function portNumOrName(port: number | string, path: FieldPath): FieldError[] {
  if (typeof port === 'number') return portNumber(port, path);
  return isValidPortName(port).map((msg) => field.invalid(path, port, msg));
}

const ipv4WithLeadingZeros = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Kubernetes parses IPs "sloppily": IPv4 octets may carry leading zeros. */
export function isValidIPString(value: string): boolean {
  if (isIP(value) !== 0) return true;
  const m = ipv4WithLeadingZeros.exec(value);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
}

export function validIP(value: string, path: FieldPath): FieldError[] {
  return isValidIPString(value) ? [] : [field.invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

export function isIPv6String(value: string): boolean {
  return isIP(value) === 6;
}

/** Environment variable names (relaxed rule, on by default since v1.32): printable ASCII but '='. */
export function isEnvVarName(value: string): string[] {
  return /^[\x20-\x3c\x3e-\x7e]+$/.test(value) ? [] : ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
}

/** ConfigMap and Secret keys. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push('must be no more than 253 characters');
  if (!/^[-._a-zA-Z0-9]+$/.test(value)) {
    errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
  }
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

export function isHTTPHeaderName(value: string): string[] {
  return /^[-A-Za-z0-9]+$/.test(value)
    ? []
    : ["a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"];
}

/** User and group ids: 0 to 2^31-1. */
export function validID(value: number, path: FieldPath): FieldError[] {
  return value >= 0 && value <= maxInt32 ? [] : [field.invalid(path, value, inclusiveRangeError(0, maxInt32))];
}

export function nonNegative(value: number | undefined, path: FieldPath): FieldError[] {
  return value !== undefined && value < 0 ? [field.invalid(path, value, 'must be greater than or equal to 0')] : [];
}

/** A path that must stay below its root: relative and without '..' segments. */
export function localDescendingPath(value: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (value.startsWith('/')) errs.push(field.invalid(path, value, 'must be a relative path'));
  errs.push(...noBacksteps(value, path));
  return errs;
}

export function noBacksteps(value: string, path: FieldPath): FieldError[] {
  return value.split(/[\\/]/).includes('..') ? [field.invalid(path, value, "must not contain '..'")] : [];
}

/**
 * A reference that does not resolve: Kubernetes' field.NotFound. The shared FieldError type has no
 * NotFound kind yet, so this is reported as Invalid with the detail "not found".
 */
export function notFound(path: FieldPath, value: unknown, detail?: string): FieldError {
  return detail ? field.invalid(path, value, detail) : field.notFound(path, value);
}
