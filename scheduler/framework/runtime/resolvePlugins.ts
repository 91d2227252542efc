/**
 * Which plugins a profile runs at each extension point, from the default plugins and the
 * profile's `plugins` section (kube-scheduler's v1 semantics, simplified):
 *   - multiPoint: the default plugins, minus multiPoint.disabled ('*': all of them), plus
 *     multiPoint.enabled; each runs at every extension point it implements;
 *   - per extension point: those, minus <point>.disabled ('*': all), plus <point>.enabled (a
 *     plugin enabled there replaces its multiPoint entry, keeping its place);
 *   - score weight: the point's explicit weight, else multiPoint's, else the default's, else 1.
 * Plugins are instantiated once per profile, whatever the number of points they run at.
 */
import type { Plugin, PluginFactory, Handle } from '../interfaces';
import {
  isBindPlugin,
  isFilterPlugin,
  isPostFilterPlugin,
  isPreFilterPlugin,
  isPreScorePlugin,
  isReservePlugin,
  isScorePlugin,
} from '../interfaces';
import { extensionPoints, type ExtensionPoint, type PluginRef, type Profile } from '../../config/types';

export interface DefaultPluginRef {
  readonly name: string;
  readonly weight?: number;
}

export interface ResolvedProfile {
  /** Plugin instances by name. */
  readonly plugins: ReadonlyMap<string, Plugin>;
  /** Plugin names per extension point, in the order they run. */
  readonly points: Readonly<Record<ExtensionPoint, readonly string[]>>;
  readonly weights: ReadonlyMap<string, number>;
}

const implementsPoint: Record<ExtensionPoint, (p: Plugin) => boolean> = {
  preFilter: isPreFilterPlugin,
  filter: isFilterPlugin,
  postFilter: isPostFilterPlugin,
  preScore: isPreScorePlugin,
  score: isScorePlugin,
  reserve: isReservePlugin,
  bind: isBindPlugin,
};

/** Throws an Error with a one-line message for an unknown plugin, a plugin enabled where it has no such extension, or bad args. */
export function resolveProfile(profile: Profile, registry: ReadonlyMap<string, PluginFactory>, defaults: readonly DefaultPluginRef[], handle: Handle): ResolvedProfile {
  const where = `profile "${profile.schedulerName}"`;
  const known = (ref: PluginRef, section: string) => {
    if (!registry.has(ref.name)) throw new Error(`${where}: plugins.${section}: unknown plugin "${ref.name}"`);
  };
  const args = new Map<string, unknown>();
  for (const pc of profile.pluginConfig ?? []) {
    if (!registry.has(pc.name)) throw new Error(`${where}: pluginConfig: unknown plugin "${pc.name}"`);
    args.set(pc.name, pc.args);
  }

  // multiPoint
  const multi = profile.plugins?.multiPoint;
  const disabledAll = (multi?.disabled ?? []).some((r) => r.name === '*');
  const disabled = new Set((multi?.disabled ?? []).map((r) => r.name));
  const multiList: { name: string; weight?: number }[] = disabledAll ? [] : defaults.filter((d) => !disabled.has(d.name)).map((d) => ({ ...d }));
  for (const ref of multi?.enabled ?? []) {
    known(ref, 'multiPoint.enabled');
    const existing = multiList.find((m) => m.name === ref.name);
    if (existing) existing.weight = ref.weight || existing.weight;
    else multiList.push({ name: ref.name, weight: ref.weight || undefined });
  }

  const plugins = new Map<string, Plugin>();
  const instance = (name: string): Plugin => {
    let p = plugins.get(name);
    if (!p) {
      const factory = registry.get(name)!;
      try {
        p = factory(args.get(name), handle);
      } catch (err) {
        throw new Error(`${where}: plugin ${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
      plugins.set(name, p);
    }
    return p;
  };

  const weights = new Map<string, number>();
  for (const m of multiList) if (m.weight) weights.set(m.name, m.weight);
  const points = {} as Record<ExtensionPoint, string[]>;
  for (const point of extensionPoints) {
    const set = profile.plugins?.[point];
    const off = new Set((set?.disabled ?? []).map((r) => r.name));
    let names = off.has('*') ? [] : multiList.map((m) => m.name).filter((n) => !off.has(n) && implementsPoint[point](instance(n)));
    for (const ref of set?.enabled ?? []) {
      known(ref, `${point}.enabled`);
      if (!implementsPoint[point](instance(ref.name))) throw new Error(`${where}: plugin "${ref.name}" does not extend ${point}`);
      if (!names.includes(ref.name)) names = [...names, ref.name];
      if (point === 'score' && ref.weight) weights.set(ref.name, ref.weight);
    }
    points[point] = names;
  }
  for (const name of points.score) {
    const w = weights.get(name) ?? 1;
    if (!Number.isInteger(w) || w < 1 || w > 100) throw new Error(`${where}: score weight of ${name} must be an integer from 1 to 100, got ${w}`);
    weights.set(name, w);
  }
  if (points.bind.length === 0) throw new Error(`${where}: at least one bind plugin is needed`);
  // Plugins instantiated only to test an extension point they turned out not to run at are dropped.
  const used = new Set(extensionPoints.flatMap((p) => points[p]));
  for (const name of [...plugins.keys()]) if (!used.has(name)) plugins.delete(name);
  return { plugins, points, weights };
}
