/**
 * Validation of parts of a pod spec beside containers and volumes: DNS config, host aliases,
 * readiness and scheduling gates, resource claims. (Affinity and topology spread constraints are
 * validated by affinity.ts and topologySpreadConstraint.ts.)
 */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index, type FieldPath } from '../../field/path';
import type { PodSpec } from './podSpec';
import { dns1123Label, dns1123Subdomain, qualifiedName, validIP } from './validationHelpers';

export function validateDNSConfig(spec: PodSpec, path: FieldPath): FieldError[] {
  const config = spec.dnsConfig;
  if (spec.dnsPolicy === 'None') {
    if (!config) return [field.required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (!(config.nameservers ?? []).length) return [field.required(child(path, 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!config) return [];
  const errs: FieldError[] = [];
  const nameservers = config.nameservers ?? [];
  const searches = config.searches ?? [];
  if (nameservers.length > 3) errs.push(field.invalid(child(path, 'nameservers'), nameservers, 'must not have more than 3 nameservers'));
  nameservers.forEach((ns, i) => errs.push(...validIP(ns, index(child(path, 'nameservers'), i))));
  if (searches.length > 32) errs.push(field.invalid(child(path, 'searches'), searches, 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) errs.push(field.invalid(child(path, 'searches'), searches, 'must not have more than 2048 characters (including spaces) in the search list'));
  searches.forEach((search, i) => errs.push(...dns1123Subdomain(search.replace(/\.$/, ''), index(child(path, 'searches'), i))));
  (config.options ?? []).forEach((o, i) => {
    if (!o.name) errs.push(field.required(index(child(path, 'options'), i), 'must not be empty'));
  });
  return errs;
}

export function validateHostAliases(aliases: NonNullable<PodSpec['hostAliases']>, path: FieldPath): FieldError[] {
  return aliases.flatMap((a, i) => [
    ...validIP(a.ip, child(index(path, i), 'ip')),
    ...(a.hostnames ?? []).flatMap((h, j) => dns1123Subdomain(h, index(child(index(path, i), 'hostnames'), j))),
  ]);
}

export function validateReadinessGates(gates: NonNullable<PodSpec['readinessGates']>, path: FieldPath): FieldError[] {
  return gates.flatMap((g, i) => qualifiedName(g.conditionType, child(index(path, i), 'conditionType')));
}

export function validateSchedulingGates(gates: NonNullable<PodSpec['schedulingGates']>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  gates.forEach((g, i) => {
    errs.push(...qualifiedName(g.name, index(path, i)));
    if (seen.has(g.name)) errs.push(field.duplicate(index(path, i), g.name));
    seen.add(g.name);
  });
  return errs;
}

export function validatePodResourceClaims(claims: NonNullable<PodSpec['resourceClaims']>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  claims.forEach((claim, i) => {
    const at = index(path, i);
    if (!claim.name) errs.push(field.required(child(at, 'name')));
    else if (names.has(claim.name)) errs.push(field.duplicate(child(at, 'name'), claim.name));
    else {
      errs.push(...dns1123Label(claim.name, child(at, 'name')));
      names.add(claim.name);
    }
    const byName = claim.resourceClaimName !== undefined;
    const byTemplate = claim.resourceClaimTemplateName !== undefined;
    if (byName && byTemplate) errs.push(field.invalid(at, claim, 'at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified'));
    if (!byName && !byTemplate) errs.push(field.invalid(at, claim, 'must specify one of: `resourceClaimName`, `resourceClaimTemplateName`'));
    if (claim.resourceClaimName !== undefined) errs.push(...dns1123Subdomain(claim.resourceClaimName, child(at, 'resourceClaimName')));
    if (claim.resourceClaimTemplateName !== undefined) errs.push(...dns1123Subdomain(claim.resourceClaimTemplateName, child(at, 'resourceClaimTemplateName')));
  });
  return errs;
}
