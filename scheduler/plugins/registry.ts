/**
 * The in-tree plugins by name, and the default profile (kube-scheduler's getDefaultPlugins:
 * multiPoint plugins, each enabled at every extension point it implements, with the score
 * weights of kube-scheduler).
 */
import type { PluginFactory } from '../framework/interfaces';
import * as defaultBinder from './defaultBinder';
import * as defaultPreemption from './defaultPreemption';
import * as imageLocality from './imageLocality';
import * as interPodAffinity from './interPodAffinity';
import * as nodeAffinity from './nodeAffinity';
import * as nodeName from './nodeName';
import * as nodePorts from './nodePorts';
import * as balancedAllocation from './nodeResourcesBalancedAllocation';
import * as nodeResourcesFit from './nodeResourcesFit';
import * as nodeUnschedulable from './nodeUnschedulable';
import * as podTopologySpread from './podTopologySpread';
import * as taintToleration from './taintToleration';

export type Registry = ReadonlyMap<string, PluginFactory>;

interface PluginModule {
  readonly name: string;
  readonly factory: PluginFactory;
}

const modules: readonly PluginModule[] = [
  nodeUnschedulable,
  nodeName,
  taintToleration,
  nodeAffinity,
  nodePorts,
  nodeResourcesFit,
  podTopologySpread,
  interPodAffinity,
  defaultPreemption,
  balancedAllocation,
  imageLocality,
  defaultBinder,
];

/** Every in-tree plugin, name → factory. */
export const inTreeRegistry: Registry = new Map(modules.map((m) => [m.name, m.factory]));

export interface DefaultPlugin {
  readonly name: string;
  /** The score weight when the plugin scores; 1 when unset. */
  readonly weight?: number;
}

/** The default profile's plugins, in kube-scheduler's order (order matters for Filter: cheap ones first). */
export const defaultPlugins: readonly DefaultPlugin[] = Object.freeze([
  { name: nodeUnschedulable.name },
  { name: nodeName.name },
  { name: taintToleration.name, weight: 3 },
  { name: nodeAffinity.name, weight: 2 },
  { name: nodePorts.name },
  { name: nodeResourcesFit.name, weight: 1 },
  { name: podTopologySpread.name, weight: 2 },
  { name: interPodAffinity.name, weight: 2 },
  { name: defaultPreemption.name },
  { name: balancedAllocation.name, weight: 1 },
  { name: imageLocality.name, weight: 1 },
  { name: defaultBinder.name },
]);
