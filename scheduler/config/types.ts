/**
 * The scheduler's configuration (a KubeSchedulerConfiguration subset), as parsed from the
 * --config file. Optional fields take the documented defaults where they are used.
 */

/** The extension points a profile can enable or disable plugins at (plus multiPoint: every point). */
export const extensionPoints = ['preFilter', 'filter', 'postFilter', 'preScore', 'score', 'reserve', 'bind'] as const;
export type ExtensionPoint = (typeof extensionPoints)[number];

export interface PluginRef {
  readonly name: string;
  /** Score weight (score and multiPoint only); unset or 0: the default weight (1 for plugins without one). */
  readonly weight?: number;
}

export interface PluginSet {
  readonly enabled?: readonly PluginRef[];
  /** `{name: '*'}` disables every plugin enabled by default at this point. */
  readonly disabled?: readonly PluginRef[];
}

export type ProfilePlugins = Partial<Record<ExtensionPoint | 'multiPoint', PluginSet>>;

export interface PluginConfig {
  readonly name: string;
  readonly args?: unknown;
}

export interface Profile {
  readonly schedulerName: string;
  /** Overrides the configuration's percentageOfNodesToScore for this profile. */
  readonly percentageOfNodesToScore?: number;
  readonly plugins?: ProfilePlugins;
  readonly pluginConfig?: readonly PluginConfig[];
}

export interface SchedulerConfiguration {
  /** Default: one profile, default-scheduler with the default plugins. */
  readonly profiles: readonly Profile[];
  /** 0 or unset: adaptive (50% − nodes/125, at least 5%); 1..100: that percentage. */
  readonly percentageOfNodesToScore?: number;
  /** Default 1 s. */
  readonly podInitialBackoffSeconds?: number;
  /** Default 10 s. */
  readonly podMaxBackoffSeconds?: number;
}

export const defaultSchedulerName = 'default-scheduler';

export const defaultConfiguration: SchedulerConfiguration = Object.freeze({ profiles: Object.freeze([{ schedulerName: defaultSchedulerName }]) });
