/**
 * JSON values as CEL sees them under a structural schema: integers (type integer, or the integer
 * form of x-kubernetes-int-or-string) become CEL ints (BigInt), numbers CEL doubles, objects maps,
 * arrays lists. Values without a schema (under x-kubernetes-preserve-unknown-fields) are ints when
 * integral, as Kubernetes reads them.
 */
import { additionalPropertiesSchema, itemsSchema, type JSONSchemaProps } from '../kinds/apiextensions/jsonSchemaProps';

export function toCelValue(value: unknown, schema: JSONSchemaProps | undefined): unknown {
  if (typeof value === 'number') {
    const asInt = schema === undefined || schema.type === 'integer' || (schema['x-kubernetes-int-or-string'] === true && schema.type === undefined);
    return asInt && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) {
    const items = schema ? itemsSchema(schema) : undefined;
    // A new array of this realm (the library checks for Array; tests run modules in a vm context).
    const out: unknown[] = [];
    for (const v of value) out.push(toCelValue(v, items));
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const props = schema?.properties;
    const rest = schema ? additionalPropertiesSchema(schema) : undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toCelValue(v, props?.[k] ?? rest);
    return out;
  }
  return value;
}
