/**
 * Reading plugin args: they arrive as `unknown` (decoded YAML/JSON from the scheduler
 * configuration, with Kubernetes' field names) and are checked here, so a plugin works with typed,
 * defaulted values. Invalid args throw, as Kubernetes' plugin constructors fail on validation.
 */

export type ArgsObject = Readonly<Record<string, unknown>>;

export function isObject(v: unknown): v is ArgsObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The args as an object; undefined and null mean "all defaults". */
export function argsObject(plugin: string, args: unknown): ArgsObject {
  if (args === undefined || args === null) return {};
  if (!isObject(args)) throw new Error(`${plugin}: args must be an object`);
  return args;
}

export function optionalNumber(plugin: string, obj: ArgsObject, key: string): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`${plugin}: ${key} must be an integer`);
  return v;
}

export function optionalBoolean(plugin: string, obj: ArgsObject, key: string): boolean | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new Error(`${plugin}: ${key} must be a boolean`);
  return v;
}

export function optionalString(plugin: string, obj: ArgsObject, key: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new Error(`${plugin}: ${key} must be a string`);
  return v;
}

export function optionalStringList(plugin: string, obj: ArgsObject, key: string): string[] | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`${plugin}: ${key} must be a list of strings`);
  return v as string[];
}

export function optionalObjectList(plugin: string, obj: ArgsObject, key: string): ArgsObject[] | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every(isObject)) throw new Error(`${plugin}: ${key} must be a list of objects`);
  return v as ArgsObject[];
}

/** config.ResourceSpec: a resource name and its weight in a score. */
export interface ResourceSpec {
  readonly name: string;
  readonly weight: number;
}

/** The default scoring resources of NodeResourcesFit and NodeResourcesBalancedAllocation. */
export const DEFAULT_RESOURCE_SPECS: readonly ResourceSpec[] = Object.freeze([
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
]);

/** validateResources: names unique, weights 1..100; an empty or absent list is the default. */
export function resourceSpecs(plugin: string, obj: ArgsObject, key: string): readonly ResourceSpec[] {
  const list = optionalObjectList(plugin, obj, key);
  if (!list || list.length === 0) return DEFAULT_RESOURCE_SPECS;
  const seen = new Set<string>();
  return list.map((r, i) => {
    const name = r['name'];
    if (typeof name !== 'string' || name === '') throw new Error(`${plugin}: ${key}[${i}].name is required`);
    if (seen.has(name)) throw new Error(`${plugin}: ${key}[${i}].name: duplicate resource ${name}`);
    seen.add(name);
    const weight = r['weight'] ?? 1;
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1 || weight > 100) {
      throw new Error(`${plugin}: ${key}[${i}].weight: must be in the range [1, 100]`);
    }
    return { name, weight };
  });
}
