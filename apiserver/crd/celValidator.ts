/**
 * x-kubernetes-validations: the CEL rules of a CRD version's schema, compiled once per version and
 * evaluated against each custom resource written, as Kubernetes' apiextensions-apiserver does:
 *   - a rule is scoped to its schema node: `self` is the value there (rules under list items and
 *     map values run once per element); it runs only where the value is present;
 *   - a transition rule (one that uses `oldSelf`) runs only on updates where the old object has a
 *     value at the same place (reached through object properties and map values; list items are
 *     correlated only for x-kubernetes-list-type=map, by their keys);
 *   - a rule that is false fails with `message`, else the value of `messageExpression`, else
 *     "failed rule: <rule>"; the field is the node's path plus `fieldPath`; `reason` picks the
 *     error type (FieldValueInvalid by default: `spec: Invalid value: "object": <message>`);
 *   - a rule that cannot be evaluated (no such key, wrong types) fails with the evaluation error.
 */
import * as field from '../../api/field/errors';
import type { FieldError } from '../../api/field/errors';
import { child, key } from '../../api/field/path';
import { compileCel, firstLine, usesOldSelf, type CelProgram } from '../../api/cel/expression';
import { toCelValue } from '../../api/cel/values';
import { additionalPropertiesSchema, itemsSchema, type JSONSchemaProps } from '../../api/kinds/apiextensions/jsonSchemaProps';
import { resolveFieldPath } from '../../api/kinds/apiextensions/structural';
import { isPlainObject } from '../../api/schema/walk';

/** Every rule violation of `obj` (against `old` for transition rules); [] when all hold. */
export type CelValidator = (obj: unknown, old?: unknown) => FieldError[];

interface CompiledRule {
  readonly rule: string;
  readonly program: CelProgram;
  readonly transition: boolean;
  readonly message?: string;
  readonly messageProgram?: CelProgram;
  readonly reason: string;
  /** fieldPath's segments below the node (names, or `[i]`). */
  readonly fieldPath: readonly string[];
}

/** A schema node with rules at or below it (subtrees without rules are never walked). */
interface RuleNode {
  readonly schema: JSONSchemaProps;
  readonly rules: readonly CompiledRule[];
  readonly properties: ReadonlyMap<string, RuleNode>;
  readonly additionalProperties?: RuleNode;
  readonly items?: RuleNode;
}

/** Compiles the rules of `schema`; undefined when it has none. Rules that do not compile are skipped (the CRD's validation refuses them). */
export function compileCelValidator(schema: JSONSchemaProps | undefined): CelValidator | undefined {
  const root = schema ? compileNode(schema) : undefined;
  if (!root) return undefined;
  return (obj, old) => {
    const errs: FieldError[] = [];
    visit(root, obj, old, '', errs);
    return errs;
  };
}

function compileNode(schema: JSONSchemaProps): RuleNode | undefined {
  const rules: CompiledRule[] = [];
  for (const r of schema['x-kubernetes-validations'] ?? []) {
    const compiled = compileRule(r, schema);
    if (compiled) rules.push(compiled);
  }
  const properties = new Map<string, RuleNode>();
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const node = compileNode(prop);
    if (node) properties.set(name, node);
  }
  const ap = additionalPropertiesSchema(schema);
  const additionalProperties = ap ? compileNode(ap) : undefined;
  const itemSchema = itemsSchema(schema);
  const items = itemSchema ? compileNode(itemSchema) : undefined;
  if (rules.length === 0 && properties.size === 0 && !additionalProperties && !items) return undefined;
  return { schema, rules, properties, ...(additionalProperties ? { additionalProperties } : {}), ...(items ? { items } : {}) };
}

type Rule = NonNullable<JSONSchemaProps['x-kubernetes-validations']>[number];

function compileRule(r: Rule, schema: JSONSchemaProps): CompiledRule | undefined {
  try {
    const messageProgram = r.messageExpression ? compileCel(r.messageExpression) : undefined;
    return {
      rule: r.rule,
      program: compileCel(r.rule),
      transition: usesOldSelf(r.rule),
      ...(r.message ? { message: r.message } : {}),
      ...(messageProgram ? { messageProgram } : {}),
      reason: r.reason ?? 'FieldValueInvalid',
      fieldPath: r.fieldPath ? resolveFieldPath(r.fieldPath, schema).segments : [],
    };
  } catch {
    return undefined;
  }
}

function visit(node: RuleNode, value: unknown, old: unknown, path: string, errs: FieldError[]): void {
  if (value === undefined || value === null) return;
  if (node.rules.length > 0) {
    const self = toCelValue(value, node.schema);
    const oldSelf = old === undefined || old === null ? undefined : toCelValue(old, node.schema);
    for (const rule of node.rules) {
      if (rule.transition && oldSelf === undefined) continue;
      const err = evaluate(rule, node.schema, self, oldSelf, path);
      if (err) errs.push(err);
    }
  }
  if (isPlainObject(value)) {
    const oldObj = isPlainObject(old) ? old : undefined;
    for (const [name, sub] of node.properties) visit(sub, value[name], oldObj?.[name], child(path, name), errs);
    if (node.additionalProperties) {
      for (const [k, v] of Object.entries(value)) {
        if (node.schema.properties?.[k]) continue;
        visit(node.additionalProperties, v, oldObj?.[k], key(path, k), errs);
      }
    }
  } else if (Array.isArray(value) && node.items) {
    const oldItems = correlatedItems(node.schema, old);
    value.forEach((item, i) => visit(node.items!, item, oldItems?.(item), `${path}[${i}]`, errs));
  }
}

/** For list-type=map lists, the old item with the same keys as a new one; undefined: no correlation. */
function correlatedItems(schema: JSONSchemaProps, old: unknown): ((item: unknown) => unknown) | undefined {
  const keys = schema['x-kubernetes-list-map-keys'];
  if (schema['x-kubernetes-list-type'] !== 'map' || !keys?.length || !Array.isArray(old)) return undefined;
  const keyOf = (item: unknown) => (isPlainObject(item) ? JSON.stringify(keys.map((k) => item[k])) : undefined);
  const byKey = new Map(old.map((item) => [keyOf(item), item]));
  return (item) => byKey.get(keyOf(item));
}

function evaluate(rule: CompiledRule, schema: JSONSchemaProps, self: unknown, oldSelf: unknown, path: string): FieldError | undefined {
  const variables = oldSelf === undefined ? { self } : { self, oldSelf };
  let result: unknown;
  try {
    result = rule.program(variables);
  } catch (err) {
    return field.invalid(path || '<nil>', typeName(schema), `rule evaluation error: ${firstLine(err)}`);
  }
  if (result === true) return undefined;
  if (result !== false) return field.invalid(path || '<nil>', typeName(schema), `rule evaluation error: the rule did not evaluate to a bool: ${rule.rule}`);
  const at = rule.fieldPath.reduce((p, segment) => (segment.startsWith('[') ? `${p}${segment}` : child(p, segment)), path) || '<nil>';
  const message = messageOf(rule, variables);
  switch (rule.reason) {
    case 'FieldValueForbidden':
      return field.forbidden(at, message);
    case 'FieldValueRequired':
      return field.required(at, message);
    case 'FieldValueDuplicate':
      return { ...field.duplicate(at, typeName(schema)), detail: message };
    default:
      return field.invalid(at, typeName(schema), message);
  }
}

/** The failure message: messageExpression's value when it gives a non-empty string, else message, else the default. */
function messageOf(rule: CompiledRule, variables: Record<string, unknown>): string {
  if (rule.messageProgram) {
    try {
      const m = rule.messageProgram(variables);
      if (typeof m === 'string' && m.trim() && !/[\n\r]/.test(m)) return m;
    } catch {
      // as Kubernetes: fall back to message
    }
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}

/** What Kubernetes shows as the "value" of a rule failure: the node's type. */
function typeName(schema: JSONSchemaProps): string {
  return schema.type ?? (schema['x-kubernetes-int-or-string'] ? 'int-or-string' : 'object');
}
