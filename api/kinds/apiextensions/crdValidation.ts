/**
 * Kubernetes' ValidateCustomResourceDefinition / ValidateCustomResourceDefinitionUpdate, with its
 * field paths and messages. Paths follow Kubernetes' internal type where it differs from v1
 * (`spec.conversion.webhookClientConfig`, printer column `JSONPath`), as its errors do.
 */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index, key } from '../../field/path';
import { isDNS1035Label, isDNS1123Subdomain } from '../../validation/names';
import type {
  CustomResourceColumnDefinition,
  CustomResourceDefinition,
  CustomResourceDefinitionSpec,
  CustomResourceDefinitionVersion,
  CustomResourceSubresources,
} from './customResourceDefinition';
import { checkSchemaSlots, type JSONSchemaProps } from './jsonSchemaProps';
import { validateVersionSchema } from './schemaValidation';
import { resolveFieldPath, validateStructural } from './structural';

const printerColumnTypes = ['boolean', 'date', 'integer', 'number', 'string'];
const printerColumnFormats = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
const conversionReviewVersions = ['v1', 'v1beta1'];
export const maxSelectableFields = 8;
export const apiApprovalAnnotation = 'api-approved.kubernetes.io';

/** What an update may not tighten: rules the stored object did not meet are not enforced on it. */
interface Options {
  readonly requireSchema: boolean;
  readonly requireStructural: boolean;
  readonly requireValidTypes: boolean;
  readonly requireRecognizedReviewVersion: boolean;
}

export function validateCustomResourceDefinition(crd: CustomResourceDefinition, old?: CustomResourceDefinition): FieldError[] {
  const opts = old ? updateOptions(old) : { requireSchema: true, requireStructural: true, requireValidTypes: true, requireRecognizedReviewVersion: true };
  const errs: FieldError[] = old ? [] : nameErrors(crd);
  errs.push(...validateSpec(crd.spec, opts));
  if (old) errs.push(...specUpdateErrors(crd.spec, old.spec, isEstablished(old)));
  const accepted = crd.status?.acceptedNames;
  if (accepted) errs.push(...validateNames(accepted, 'status.acceptedNames'));
  errs.push(...validateStoredVersions(crd.status?.storedVersions ?? [], crd.spec.versions));
  errs.push(...validateAPIApproval(crd, old));
  if (crd.spec.preserveUnknownFields && !old?.spec.preserveUnknownFields) {
    errs.push(
      field.invalid('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'),
    );
  }
  return errs;
}

/** metadata.name must be `<plural>.<group>`. */
function nameErrors(crd: CustomResourceDefinition): FieldError[] {
  const required = `${crd.spec.names.plural}.${crd.spec.group}`;
  const meta = crd.metadata ?? {};
  const detail = 'must be spec.names.plural+"."+spec.group';
  if (meta.name) return meta.name === required ? [] : [field.invalid('metadata.name', meta.name, detail)];
  if (meta.generateName) return [field.invalid('metadata.generateName', meta.generateName, detail)];
  return [];
}

export function isEstablished(crd: CustomResourceDefinition): boolean {
  return (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
}

function updateOptions(old: CustomResourceDefinition): Options {
  const schemas = old.spec.versions.map((v, i) => ({ schema: v.schema?.openAPIV3Schema, path: `spec.versions[${i}].schema.openAPIV3Schema` }));
  const present = schemas.filter((x): x is { schema: JSONSchemaProps; path: string } => x.schema !== undefined);
  const reviewVersions = old.spec.conversion?.webhook?.conversionReviewVersions ?? [];
  return {
    requireSchema: present.length === schemas.length,
    requireStructural: present.every((x) => validateStructural(x.schema, x.path).length === 0),
    requireValidTypes: present.every((x) => !hasInvalidType(x.schema)),
    requireRecognizedReviewVersion: reviewVersions.length === 0 || reviewVersions.some((v) => conversionReviewVersions.includes(v)),
  };
}

function hasInvalidType(s: JSONSchemaProps): boolean {
  const valid = ['string', 'number', 'integer', 'boolean', 'array', 'object'];
  if (s.type && !valid.includes(s.type)) return true;
  const subs = [...Object.values(s.properties ?? {}), ...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.not ? [s.not] : [])];
  const items = s.items;
  if (items && typeof items === 'object' && !Array.isArray(items)) subs.push(items as JSONSchemaProps);
  return subs.some(hasInvalidType);
}

function validateSpec(spec: CustomResourceDefinitionSpec, opts: Options): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.group) errs.push(field.required('spec.group'));
  else {
    const msgs = isDNS1123Subdomain(spec.group);
    if (msgs.length) errs.push(field.invalid('spec.group', spec.group, msgs.join(',')));
    else if (!spec.group.includes('.')) errs.push(field.invalid('spec.group', spec.group, 'should be a domain with at least one dot'));
  }
  if (opts.requireSchema) {
    spec.versions.forEach((v, i) => {
      if (!v.schema?.openAPIV3Schema) errs.push(field.required(`spec.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'));
    });
  }
  if (spec.preserveUnknownFields && spec.versions.some((v) => v.schema?.openAPIV3Schema && hasDefaults(v.schema.openAPIV3Schema))) {
    errs.push(field.invalid('spec.preserveUnknownFields', true, 'must be false in order to use defaults in the schema'));
  }
  const seen = new Set<string>();
  let unique = true;
  spec.versions.forEach((version, i) => {
    if (seen.has(version.name)) unique = false;
    seen.add(version.name);
    const path = `spec.versions[${i}]`;
    const msgs = isDNS1035Label(version.name);
    if (msgs.length) errs.push(field.invalid(`${path}.name`, version.name, msgs.join(',')));
    errs.push(...validateVersion(version, path, opts));
  });
  if (!unique) errs.push(field.invalid('spec.versions', spec.versions, 'must contain unique version names'));
  if (spec.versions.filter((v) => v.storage).length !== 1) {
    errs.push(field.invalid('spec.versions', spec.versions, 'must have exactly one version marked as storage version'));
  }
  for (const name of ['plural', 'singular', 'kind', 'listKind'] as const) {
    if (!spec.names[name]) errs.push(field.required(`spec.names.${name}`));
  }
  errs.push(...validateNames(spec.names, 'spec.names'));
  const strategy = spec.conversion?.strategy;
  if (strategy && strategy !== 'None' && spec.preserveUnknownFields) {
    errs.push(field.invalid('spec.conversion.strategy', strategy, 'must be None if spec.preserveUnknownFields is true'));
  }
  errs.push(...validateConversion(spec, opts.requireRecognizedReviewVersion));
  return errs;
}

function hasDefaults(s: JSONSchemaProps): boolean {
  if (s.default !== undefined) return true;
  const subs = [...Object.values(s.properties ?? {}), ...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.not ? [s.not] : [])];
  for (const slot of [s.items, s.additionalProperties]) if (slot && typeof slot === 'object' && !Array.isArray(slot)) subs.push(slot as JSONSchemaProps);
  return subs.some(hasDefaults);
}

type Names = Partial<CustomResourceDefinition['spec']['names']>;

/** ValidateCustomResourceDefinitionNames: DNS-1035 labels (kinds in any case), kind ≠ listKind. */
export function validateNames(names: Names, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mixedCase = 'may have mixed case, but should otherwise match: ';
  const check = (name: 'plural' | 'singular' | 'kind' | 'listKind', lower: boolean) => {
    const value = names[name];
    if (!value) return;
    const msgs = isDNS1035Label(lower ? value.toLowerCase() : value);
    if (msgs.length) errs.push(field.invalid(child(path, name), value, (lower ? mixedCase : '') + msgs.join(',')));
  };
  check('plural', false);
  check('singular', false);
  check('kind', true);
  check('listKind', true);
  (names.shortNames ?? []).forEach((short, i) => {
    const msgs = isDNS1035Label(short);
    if (msgs.length) errs.push(field.invalid(index(child(path, 'shortNames'), i), short, msgs.join(',')));
  });
  if (names.kind && names.kind === names.listKind) errs.push(field.invalid(child(path, 'listKind'), names.listKind, 'kind and listKind may not be the same'));
  (names.categories ?? []).forEach((category, i) => {
    const msgs = isDNS1035Label(category);
    if (msgs.length) errs.push(field.invalid(index(child(path, 'categories'), i), category, msgs.join(',')));
  });
  return errs;
}

function validateVersion(version: CustomResourceDefinitionVersion, path: string, opts: Options): FieldError[] {
  const errs: FieldError[] = [];
  for (const msg of deprecationWarningErrors(version.deprecated ?? false, version.deprecationWarning)) {
    errs.push(field.invalid(`${path}.deprecationWarning`, version.deprecationWarning ?? null, msg));
  }
  const schema = version.schema?.openAPIV3Schema;
  if (schema) errs.push(...validateSchema(schema, `${path}.schema.openAPIV3Schema`, version.subresources?.status !== undefined, opts));
  errs.push(...validateSubresources(version.subresources, `${path}.subresources`));
  (version.additionalPrinterColumns ?? []).forEach((col, i) => errs.push(...validateColumn(col, `${path}.additionalPrinterColumns[${i}]`)));
  if ((version.selectableFields ?? []).length > 0) {
    if (!schema) {
      errs.push(field.invalid(`${path}.selectableFields`, '', 'selectableFields may only be set when version.schema.openAPIV3Schema is not included'));
    } else {
      errs.push(...validateSelectableFields(version.selectableFields ?? [], schema, `${path}.selectableFields`));
    }
  }
  return errs;
}

function validateSchema(schema: JSONSchemaProps, path: string, statusEnabled: boolean, opts: Options): FieldError[] {
  const slotErrors = checkSchemaSlots(schema, path);
  if (slotErrors.length) return slotErrors;
  return validateVersionSchema(schema, path, statusEnabled, opts);
}

function deprecationWarningErrors(deprecated: boolean, warning: string | undefined): string[] {
  if (!deprecated && warning !== undefined) return ['can only be set for deprecated versions'];
  if (warning === undefined) return [];
  const errs: string[] = [];
  if (Buffer.byteLength(warning) > 256) errs.push('must be <= 256 characters long');
  if (warning.length === 0) errs.push('must not be an empty string');
  let offset = 0;
  for (const ch of warning) {
    if (ch !== ' ' && /[\p{C}\p{Z}]/u.test(ch)) {
      errs.push(`must only contain printable UTF-8 characters; non-printable character found at index ${offset}`);
      break;
    }
    offset += Buffer.byteLength(ch);
  }
  return errs;
}

/** A path Kubernetes calls a "simple json path": it starts with a dot. */
function simpleJSONPathErrors(value: string, path: string): FieldError[] {
  if (value.length === 0) return [field.invalid(path, value, 'must not be empty')];
  if (!value.startsWith('.')) return [field.invalid(path, value, 'must be a simple json path starting with .')];
  return [];
}

function validateSubresources(sub: CustomResourceSubresources | undefined, path: string): FieldError[] {
  const scale = sub?.scale;
  if (!scale) return [];
  const errs: FieldError[] = [];
  const check = (name: string, value: string, prefixes: readonly string[], detail: string) => {
    const at = `${path}.scale.${name}`;
    const syntax = simpleJSONPathErrors(value, at);
    if (syntax.length) errs.push(...syntax);
    else if (!prefixes.some((p) => value.startsWith(p))) errs.push(field.invalid(at, value, detail));
  };
  if (!scale.specReplicasPath) errs.push(field.required(`${path}.scale.specReplicasPath`));
  else check('specReplicasPath', scale.specReplicasPath, ['.spec.'], 'should be a json path under .spec');
  if (!scale.statusReplicasPath) errs.push(field.required(`${path}.scale.statusReplicasPath`));
  else check('statusReplicasPath', scale.statusReplicasPath, ['.status.'], 'should be a json path under .status');
  if (scale.labelSelectorPath) check('labelSelectorPath', scale.labelSelectorPath, ['.spec.', '.status.'], 'should be a json path under either .spec or .status');
  return errs;
}

function validateColumn(col: CustomResourceColumnDefinition, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!col.name) errs.push(field.required(`${path}.name`));
  const types = `must be one of ${printerColumnTypes.join(',')}`;
  if (!col.type) errs.push(field.required(`${path}.type`, types));
  else if (!printerColumnTypes.includes(col.type)) errs.push(field.invalid(`${path}.type`, col.type, types));
  if (col.format && !printerColumnFormats.includes(col.format)) {
    errs.push(field.invalid(`${path}.format`, col.format, `must be one of ${printerColumnFormats.join(',')}`));
  }
  if (!col.jsonPath) errs.push(field.required(`${path}.JSONPath`));
  else errs.push(...simpleJSONPathErrors(col.jsonPath, `${path}.JSONPath`));
  return errs;
}

/** ValidateCustomResourceSelectableFields: existing string/boolean/integer fields outside metadata, at most 8. */
export function validateSelectableFields(fields: readonly { jsonPath: string }[], schema: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const unique = new Set<string>();
  fields.forEach((f, i) => {
    const at = `${index(path, i)}.jsonPath`;
    if (!f.jsonPath) {
      errs.push(field.required(at));
      return;
    }
    let resolved;
    try {
      resolved = resolveFieldPath(f.jsonPath, schema, false);
    } catch (err) {
      errs.push(field.invalid(at, f.jsonPath, `is an invalid path: ${(err as Error).message}`));
      return;
    }
    if (resolved.segments[0] === 'metadata') errs.push(field.invalid(at, f.jsonPath, 'must not point to fields in metadata'));
    if (!['string', 'boolean', 'integer'].includes(resolved.schema.type ?? '')) {
      errs.push(field.invalid(at, f.jsonPath, 'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.'));
    }
    const normalized = resolved.segments.join('.');
    if (unique.has(normalized)) errs.push(field.duplicate(at, f.jsonPath));
    unique.add(normalized);
  });
  if (unique.size > maxSelectableFields) errs.push(field.tooMany(path, unique.size, maxSelectableFields));
  return errs;
}

function validateConversion(spec: CustomResourceDefinitionSpec, requireRecognizedVersion: boolean): FieldError[] {
  const conversion = spec.conversion;
  if (!conversion) return [];
  const errs: FieldError[] = [];
  const config = conversion.webhook?.clientConfig;
  const versions = conversion.webhook?.conversionReviewVersions ?? [];
  const configPath = 'spec.conversion.webhookClientConfig';
  const versionsPath = 'spec.conversion.conversionReviewVersions';
  if (conversion.strategy === 'Webhook') {
    if (!config) errs.push(field.required(configPath, 'required when strategy is set to Webhook'));
    else if ((config.url === undefined) === (config.service === undefined)) errs.push(field.required(configPath, 'exactly one of url or service is required'));
    else if (config.url !== undefined) errs.push(...webhookURLErrors(config.url, `${configPath}.url`));
    else if (config.service) errs.push(...webhookServiceErrors(config.service, `${configPath}.service`));
    if (versions.length === 0) errs.push(field.required(versionsPath));
    else {
      const seen = new Set<string>();
      versions.forEach((v, i) => {
        if (seen.has(v)) {
          errs.push(field.invalid(index(versionsPath, i), v, 'duplicate version'));
          return;
        }
        seen.add(v);
        for (const msg of isDNS1035Label(v)) errs.push(field.invalid(index(versionsPath, i), v, msg));
      });
      if (requireRecognizedVersion && !versions.some((v) => conversionReviewVersions.includes(v))) {
        errs.push(field.invalid(versionsPath, versions, `must include at least one of ${conversionReviewVersions.join(', ')}`));
      }
    }
  } else {
    if (config) errs.push(field.forbidden(configPath, 'should not be set when strategy is not set to Webhook'));
    if (versions.length > 0) errs.push(field.forbidden(versionsPath, 'should not be set when strategy is not set to Webhook'));
  }
  return errs;
}

function webhookURLErrors(value: string, path: string): FieldError[] {
  const form = '; desired format: https://host[/path]';
  let url: URL;
  try {
    url = new URL(value);
  } catch (err) {
    return [field.required(path, `url must be a valid URL: ${(err as Error).message}${form}`)];
  }
  const errs: FieldError[] = [];
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'https') errs.push(field.invalid(path, scheme, `'https' is the only allowed URL scheme${form}`));
  if (!url.host) errs.push(field.invalid(path, url.host, `host must be specified${form}`));
  if (url.username || url.password) errs.push(field.invalid(path, url.username, 'user information is not permitted in the URL'));
  if (url.hash) errs.push(field.invalid(path, url.hash.slice(1), 'fragments are not permitted in the URL'));
  if (url.search) errs.push(field.invalid(path, url.search.slice(1), 'query parameters are not permitted in the URL'));
  return errs;
}

function webhookServiceErrors(service: { name: string; namespace: string; path?: string; port?: number }, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!service.name) errs.push(field.required(`${path}.name`, 'service name is required'));
  if (!service.namespace) errs.push(field.required(`${path}.namespace`, 'service namespace is required'));
  const port = service.port ?? 443;
  if (port < 1 || port > 65535) errs.push(field.invalid(`${path}.port`, port, 'port is not valid: must be between 1 and 65535, inclusive'));
  const urlPath = service.path;
  if (urlPath === undefined || urlPath === '' || urlPath === '/') return errs;
  if (urlPath === '//') return [...errs, field.invalid(`${path}.path`, urlPath, 'segment[0] may not be empty')];
  if (!urlPath.startsWith('/')) errs.push(field.invalid(`${path}.path`, urlPath, "must start with a '/'"));
  urlPath
    .slice(1)
    .replace(/\/$/, '')
    .split('/')
    .forEach((step, i) => {
      if (!step) {
        errs.push(field.invalid(`${path}.path`, urlPath, `segment[${i}] may not be empty`));
        return;
      }
      for (const msg of isDNS1123Subdomain(step)) errs.push(field.invalid(`${path}.path`, urlPath, `segment[${i}]: ${msg}`));
    });
  return errs;
}

function specUpdateErrors(spec: CustomResourceDefinitionSpec, old: CustomResourceDefinitionSpec, established: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const immutable = (path: string, value: string, was: string) => {
    if (value !== was) errs.push(field.invalid(path, value, 'field is immutable'));
  };
  if (established) {
    immutable('spec.scope', spec.scope, old.scope);
    immutable('spec.names.kind', spec.names.kind, old.names.kind);
  }
  immutable('spec.group', spec.group, old.group);
  immutable('spec.names.plural', spec.names.plural, old.names.plural);
  return errs;
}

/** Every stored version must still be in spec.versions, and the storage version must be stored. */
function validateStoredVersions(stored: readonly string[], versions: readonly CustomResourceDefinitionVersion[]): FieldError[] {
  const path = 'status.storedVersions';
  if (stored.length === 0) return [field.invalid(path, stored, 'must have at least one stored version')];
  const errs: FieldError[] = [];
  for (const v of versions) if (v.storage && !stored.includes(v.name)) errs.push(field.invalid(path, stored, `must have the storage version ${v.name}`));
  stored.forEach((v, i) => {
    if (!versions.some((version) => version.name === v)) errs.push(field.invalid(index(path, i), v, 'must appear in spec.versions'));
  });
  return errs;
}

type ApprovalState = 'missing' | 'invalid' | 'approved' | 'bypassed';

function approvalState(annotations: Readonly<Record<string, string>> | undefined): ApprovalState {
  const value = annotations?.[apiApprovalAnnotation] ?? '';
  if (!value) return 'missing';
  if (value.startsWith('unapproved')) return 'bypassed';
  try {
    const url = new URL(value);
    return url.protocol && url.host ? 'approved' : 'invalid';
  } catch {
    return 'invalid';
  }
}

/** Groups under k8s.io and kubernetes.io need the api-approved.kubernetes.io annotation. */
function validateAPIApproval(crd: CustomResourceDefinition, old?: CustomResourceDefinition): FieldError[] {
  const g = crd.spec.group;
  const isProtected = ['k8s.io', 'kubernetes.io'].some((d) => g === d || g.endsWith(`.${d}`));
  if (!isProtected) return [];
  const state = approvalState(crd.metadata?.annotations);
  if (old && approvalState(old.metadata?.annotations) === state) return [];
  const path = key('metadata.annotations', apiApprovalAnnotation);
  const url = 'see https://github.com/kubernetes/enhancements/pull/1111';
  if (state === 'missing') return [field.required(path, `protected groups must have approval annotation "${apiApprovalAnnotation}", ${url}`)];
  if (state === 'invalid') {
    return [
      field.invalid(
        path,
        crd.metadata?.annotations?.[apiApprovalAnnotation] ?? '',
        `protected groups must have approval annotation "${apiApprovalAnnotation}" with either a URL or a reason starting with "unapproved", ${url}`,
      ),
    ];
  }
  return [];
}
