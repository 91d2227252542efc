/**
 * Reads a KubeSchedulerConfiguration (YAML or JSON) into a SchedulerConfiguration, rejecting
 * unknown fields and wrong types with a one-line message naming the field. Plugin names and args
 * are checked later, when the profiles' plugins are built.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { defaultSchedulerName, extensionPoints, type PluginRef, type PluginSet, type Profile, type SchedulerConfiguration } from './types';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(v: unknown, path: string, allowed: readonly string[]): Obj {
  if (!isObj(v)) throw new Error(`${path}: must be an object`);
  for (const k of Object.keys(v)) if (!allowed.includes(k)) throw new Error(`${path}: unknown field "${k}"`);
  return v;
}

function list(v: unknown, path: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new Error(`${path}: must be a list`);
  return v;
}

function int(v: unknown, path: string, min: number, max: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new Error(`${path}: must be an integer from ${min} to ${max}`);
  return v;
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string' || v === '') throw new Error(`${path}: must be a non-empty string`);
  return v;
}

function pluginRefs(v: unknown, path: string): PluginRef[] {
  return list(v, path).map((item, i) => {
    const o = object(item, `${path}[${i}]`, ['name', 'weight']);
    const weight = int(o.weight, `${path}[${i}].weight`, 0, 100);
    return { name: str(o.name, `${path}[${i}].name`), ...(weight ? { weight } : {}) };
  });
}

function pluginSet(v: unknown, path: string): PluginSet {
  const o = object(v, path, ['enabled', 'disabled']);
  return { enabled: pluginRefs(o.enabled, `${path}.enabled`), disabled: pluginRefs(o.disabled, `${path}.disabled`) };
}

function profile(v: unknown, path: string): Profile {
  const o = object(v, path, ['schedulerName', 'percentageOfNodesToScore', 'plugins', 'pluginConfig']);
  const plugins: Record<string, PluginSet> = {};
  if (o.plugins !== undefined && o.plugins !== null) {
    // queueSort/permit/preEnqueue/postBind exist in kube-scheduler; Marina has no plugins for them.
    const p = object(o.plugins, `${path}.plugins`, ['multiPoint', ...extensionPoints]);
    for (const [k, set] of Object.entries(p)) plugins[k] = pluginSet(set, `${path}.plugins.${k}`);
  }
  const pluginConfig = list(o.pluginConfig, `${path}.pluginConfig`).map((item, i) => {
    const pc = object(item, `${path}.pluginConfig[${i}]`, ['name', 'args']);
    return { name: str(pc.name, `${path}.pluginConfig[${i}].name`), args: pc.args };
  });
  const pct = int(o.percentageOfNodesToScore, `${path}.percentageOfNodesToScore`, 0, 100);
  return {
    schedulerName: o.schedulerName === undefined ? defaultSchedulerName : str(o.schedulerName, `${path}.schedulerName`),
    ...(pct !== undefined ? { percentageOfNodesToScore: pct } : {}),
    plugins,
    pluginConfig,
  };
}

/** Parses and checks a configuration document. */
export function parseSchedulerConfiguration(text: string): SchedulerConfiguration {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new Error(`not valid YAML: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
  }
  const o = object(doc ?? {}, 'config', ['apiVersion', 'kind', 'profiles', 'percentageOfNodesToScore', 'podInitialBackoffSeconds', 'podMaxBackoffSeconds', 'leaderElection', 'clientConnection', 'parallelism']);
  if (o.kind !== undefined && o.kind !== 'KubeSchedulerConfiguration') throw new Error(`config: kind must be KubeSchedulerConfiguration, got ${JSON.stringify(o.kind)}`);
  const profiles = list(o.profiles, 'profiles').map((p, i) => profile(p, `profiles[${i}]`));
  const names = new Set<string>();
  for (const p of profiles) {
    if (names.has(p.schedulerName)) throw new Error(`profiles: duplicate schedulerName "${p.schedulerName}"`);
    names.add(p.schedulerName);
  }
  const initial = int(o.podInitialBackoffSeconds, 'podInitialBackoffSeconds', 1, 3600);
  const max = int(o.podMaxBackoffSeconds, 'podMaxBackoffSeconds', 1, 3600);
  if ((max ?? 10) < (initial ?? 1)) throw new Error('podMaxBackoffSeconds must not be less than podInitialBackoffSeconds');
  const pct = int(o.percentageOfNodesToScore, 'percentageOfNodesToScore', 0, 100);
  return {
    profiles: profiles.length ? profiles : [{ schedulerName: defaultSchedulerName }],
    ...(pct !== undefined ? { percentageOfNodesToScore: pct } : {}),
    ...(initial !== undefined ? { podInitialBackoffSeconds: initial } : {}),
    ...(max !== undefined ? { podMaxBackoffSeconds: max } : {}),
  };
}

export async function loadSchedulerConfiguration(file: string): Promise<SchedulerConfiguration> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseSchedulerConfiguration(text);
}
