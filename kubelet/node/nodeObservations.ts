/**
 * What a node agent observes of its machine for the Node status, refreshed once per status
 * period (before the reporter compares statuses, so a change is written at once): the pressures
 * (eviction thresholds against the machine's signals) and the runtime's images. A pressure holds
 * for the transition period after its thresholds were last met, as the kubelet's
 * --eviction-pressure-transition-period does, so a node near a threshold does not flap. Without a
 * signal reader no pressure is ever reported: hollow nodes share one machine, whose pressure
 * is none of theirs.
 */
import { realClock, type Clock } from '../../client/clock';
import { silentLogger, type Logger } from '../../client/log';
import type { ContainerRuntime } from '../runtime/interface';
import { nodeImages, type ContainerImage } from './nodeImages';
import { defaultEvictionHardText, metThresholds, noPressure, nodePressure, parseEvictionHard, pressureOf, type EvictionThreshold, type NodePressure, type SignalReader } from './pressure';

export interface NodeObservationsOptions {
  readonly runtime: Pick<ContainerRuntime, 'listImages'>;
  /** Reads the eviction signals. Default: none (no pressure is reported). */
  readonly signals?: SignalReader;
  /** Hard eviction thresholds. Default: Kubernetes' (defaultEvictionHardText). */
  readonly evictionHard?: readonly EvictionThreshold[];
  /** How long a pressure is still reported after its thresholds stop being met. Default 5 min. */
  readonly pressureTransitionPeriodMs?: number;
  readonly clock?: Clock;
  readonly log?: Logger;
}

export class NodeObservations {
  /** The pressures to report. */
  pressure: NodePressure = noPressure;
  /** Node.status.images; undefined until the runtime has listed its images once. */
  images: readonly ContainerImage[] | undefined;
  private readonly thresholds: readonly EvictionThreshold[];
  private readonly lastMet = new Map<keyof NodePressure, number>();
  private readonly clock: Clock;
  private readonly log: Logger;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly options: NodeObservationsOptions) {
    this.thresholds = options.evictionHard ?? parseEvictionHard(defaultEvictionHardText);
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? silentLogger;
  }

  /** Observes again (a call while one is running shares it). Never throws: what fails keeps its last value. */
  refresh(): Promise<void> {
    this.inFlight ??= Promise.all([this.refreshImages(), this.refreshPressure()]).then(
      () => undefined,
      () => undefined,
    ).finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async refreshImages(): Promise<void> {
    try {
      this.images = nodeImages(await this.options.runtime.listImages());
    } catch (err) {
      this.log.warn('listing images for the node status failed', { err });
    }
  }

  private async refreshPressure(): Promise<void> {
    if (!this.options.signals || !this.thresholds.length) return;
    let met: EvictionThreshold[];
    try {
      met = metThresholds(this.thresholds, await this.options.signals());
    } catch (err) {
      this.log.warn('reading eviction signals failed', { err });
      return;
    }
    const now = this.clock.now();
    const metNow = nodePressure(met);
    const period = this.options.pressureTransitionPeriodMs ?? 300_000;
    const next = { ...noPressure };
    for (const key of Object.keys(noPressure) as (keyof NodePressure)[]) {
      if (metNow[key]) this.lastMet.set(key, now);
      const last = this.lastMet.get(key);
      next[key] = metNow[key] || (last !== undefined && now - last < period);
      if (next[key] !== this.pressure[key]) {
        const signals = met.filter((t) => pressureOf(t.signal) === key).map((t) => t.signal);
        if (next[key]) this.log.warn('node under pressure: eviction thresholds met', { pressure: key, signals });
        else this.log.info('node pressure over', { pressure: key });
      }
    }
    this.pressure = next;
  }
}
