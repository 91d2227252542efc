/**
 * The probe workers of one node (the kubelet's prober manager): one worker per running container
 * and probe kind, probing every periodSeconds once initialDelaySeconds have passed since the
 * container started, turning consecutive outcomes into a result with successThreshold and
 * failureThreshold. Liveness starts as success, readiness as failure, startup as unknown; while a
 * startup probe has not succeeded, liveness and readiness wait. A changed result is announced
 * (the pod is synced: a liveness failure restarts the container, readiness feeds Ready).
 */
import type { Container } from '../../api/kinds/core/container';
import type { Probe } from '../../api/kinds/core/probe';
import { realClock, type Cancel, type Clock } from '../../client/clock';
import type { ProbeOutcome } from '../pod/podActions';
import type { ContainerRuntime } from '../runtime/interface';
import { runProbe, type ProbeResult } from './probe';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** A running container whose probes should run. */
export interface ProbedContainer {
  readonly podUid: string;
  readonly id: string;
  readonly container: Container;
  readonly startedAt: number;
  readonly podIP: string | undefined;
}

interface Worker {
  readonly key: string;
  readonly kind: ProbeKind;
  readonly target: ProbedContainer;
  readonly probe: Probe;
  result: ProbeOutcome | undefined;
  lastOutcome: ProbeResult | undefined;
  streak: number;
  timer: Cancel | undefined;
  stopped: boolean;
}

export interface ProbeManagerOptions {
  readonly clock?: Clock;
  /** Runs one probe (tests may replace it). Default: runProbe. */
  readonly run?: (probe: Probe, target: ProbedContainer) => Promise<ProbeResult>;
}

export class ProbeManager {
  private readonly workers = new Map<string, Worker>();
  private readonly clock: Clock;
  private readonly run: (probe: Probe, target: ProbedContainer) => Promise<ProbeResult>;

  constructor(
    private readonly runtime: ContainerRuntime,
    /** Called with the pod uid when a result changes. */
    private readonly onChange: (podUid: string) => void,
    options: ProbeManagerOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.run = options.run ?? ((probe, t) => runProbe(probe, { runtime: this.runtime, containerId: t.id, container: t.container, podIP: t.podIP }));
  }

  liveness(id: string): ProbeOutcome | undefined {
    return this.workers.get(`${id}/liveness`)?.result;
  }

  readiness(id: string): ProbeOutcome | undefined {
    return this.workers.get(`${id}/readiness`)?.result;
  }

  startup(id: string): ProbeOutcome | undefined {
    return this.workers.get(`${id}/startup`)?.result;
  }

  /**
   * Makes the pod's workers match its running containers: new containers get workers, workers of
   * containers no longer listed stop.
   */
  syncPod(podUid: string, running: readonly ProbedContainer[]): void {
    const keep = new Set<string>();
    for (const target of running) {
      for (const kind of ['startup', 'liveness', 'readiness'] as const) {
        const probe = target.container[`${kind}Probe`];
        if (!probe) continue;
        const key = `${target.id}/${kind}`;
        keep.add(key);
        if (!this.workers.has(key)) this.startWorker(key, kind, target, probe);
      }
    }
    for (const [key, w] of this.workers) if (w.target.podUid === podUid && !keep.has(key)) this.stopWorker(w);
  }

  removePod(podUid: string): void {
    this.syncPod(podUid, []);
  }

  stop(): void {
    for (const w of this.workers.values()) this.stopWorker(w);
  }

  get size(): number {
    return this.workers.size;
  }

  private startWorker(key: string, kind: ProbeKind, target: ProbedContainer, probe: Probe): void {
    const w: Worker = { key, kind, target, probe, result: kind === 'liveness' ? 'success' : kind === 'readiness' ? 'failure' : undefined, lastOutcome: undefined, streak: 0, timer: undefined, stopped: false };
    this.workers.set(key, w);
    const initialDelay = (probe.initialDelaySeconds ?? 0) * 1000;
    const wait = Math.max(0, target.startedAt + initialDelay - this.clock.now());
    this.schedule(w, wait);
  }

  private stopWorker(w: Worker): void {
    w.stopped = true;
    w.timer?.();
    this.workers.delete(w.key);
  }

  private schedule(w: Worker, ms: number): void {
    if (w.stopped) return;
    w.timer = this.clock.after(ms, () => void this.tick(w));
  }

  private async tick(w: Worker): Promise<void> {
    if (w.stopped) return;
    const period = Math.max(1, w.probe.periodSeconds ?? 10) * 1000;
    // Liveness and readiness wait for the startup probe to succeed.
    if (w.kind !== 'startup' && w.target.container.startupProbe && this.startup(w.target.id) !== 'success') return this.schedule(w, period);
    // A startup probe that succeeded is done.
    if (w.kind === 'startup' && w.result === 'success') return;
    const outcome = await this.run(w.probe, w.target);
    if (w.stopped) return;
    w.streak = outcome === w.lastOutcome ? w.streak + 1 : 1;
    w.lastOutcome = outcome;
    const threshold = outcome === 'success' ? (w.probe.successThreshold ?? 1) : (w.probe.failureThreshold ?? 3);
    if (w.streak >= threshold && w.result !== outcome) {
      w.result = outcome;
      this.onChange(w.target.podUid);
    }
    // A failed liveness or startup probe gets the container killed; this worker is done with it.
    if (outcome === 'failure' && w.result === 'failure' && w.kind !== 'readiness') return;
    this.schedule(w, period);
  }
}
