/**
 * Node pressure, as the kubelet's eviction manager decides it: hard eviction thresholds
 * (`--eviction-hard`, e.g. "memory.available<100Mi,nodefs.available<10%") compared with observed
 * signals; a threshold is met when a signal's available amount is below it (a quantity, or a
 * percentage of the signal's capacity), and a met threshold puts the node under the pressure of
 * its resource (memory, disk or PIDs). Pure: reading the signals is nodeSignals.ts. Pods are not
 * evicted (only the conditions are reported).
 */
import { quantityNanos } from '../../api/kinds/core/resources';

export const evictionSignals = ['memory.available', 'nodefs.available', 'nodefs.inodesFree', 'imagefs.available', 'imagefs.inodesFree', 'pid.available'] as const;
export type EvictionSignal = (typeof evictionSignals)[number];

/** A hard threshold: met when the signal's available amount is below `quantity` or `percentage` % of its capacity. */
export type EvictionThreshold = { readonly signal: EvictionSignal } & ({ readonly quantity: number } | { readonly percentage: number });

/** One observed signal: bytes of memory or disk, inodes, or PIDs. */
export interface SignalObservation {
  readonly available: number;
  readonly capacity: number;
}

/** What was observed; a signal that could not be read is absent (its thresholds are not met). */
export type ObservedSignals = Partial<Record<EvictionSignal, SignalObservation>>;

/** Reads the signals (the real machine's in nodeSignals.ts, fakes in tests). */
export type SignalReader = () => Promise<ObservedSignals>;

export interface NodePressure {
  readonly memoryPressure: boolean;
  readonly diskPressure: boolean;
  readonly pidPressure: boolean;
}

export const noPressure: NodePressure = { memoryPressure: false, diskPressure: false, pidPressure: false };

/**
 * Kubernetes' default --eviction-hard on Linux. Kubernetes has no default PID threshold and
 * neither has Marina: PIDPressure is only reported when `pid.available<...` is given.
 */
export const defaultEvictionHardText = 'memory.available<100Mi,nodefs.available<10%,nodefs.inodesFree<5%,imagefs.available<15%,imagefs.inodesFree<5%';

/**
 * Parses an --eviction-hard list. As in Kubernetes only `<` is allowed, a percentage is in
 * (0, 100], a zero threshold is dropped (it can never be met), and a list replaces the defaults
 * (signals it leaves out have no threshold). "" means no thresholds. Throws an Error naming the
 * bad item.
 */
export function parseEvictionHard(text: string): EvictionThreshold[] {
  const out: EvictionThreshold[] = [];
  const seen = new Set<string>();
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Za-z.]+)\s*([<>=!]+)\s*(.*)$/.exec(item);
    if (!m) throw new Error(`eviction threshold "${item}" is not <signal><<quantity or percentage>, e.g. memory.available<100Mi`);
    const [, signal, operator, value] = m as unknown as [string, string, string, string];
    if (!(evictionSignals as readonly string[]).includes(signal)) throw new Error(`eviction threshold "${item}": unknown signal "${signal}" (known: ${evictionSignals.join(', ')})`);
    if (operator !== '<') throw new Error(`eviction threshold "${item}": only "<" is supported, not "${operator}"`);
    if (seen.has(signal)) throw new Error(`eviction threshold "${item}": signal ${signal} is given twice`);
    seen.add(signal);
    const threshold = parseValue(item, signal as EvictionSignal, value.trim());
    if (threshold) out.push(threshold);
  }
  return out;
}

function parseValue(item: string, signal: EvictionSignal, value: string): EvictionThreshold | undefined {
  if (value.endsWith('%')) {
    const number = value.slice(0, -1);
    const percentage = /^[0-9]+(\.[0-9]+)?$/.test(number) ? Number(number) : NaN;
    if (!Number.isFinite(percentage) || percentage > 100) throw new Error(`eviction threshold "${item}": "${value}" is not a percentage between 0% and 100%`);
    return percentage === 0 ? undefined : { signal, percentage };
  }
  const nanos = value ? quantityNanos(value) : undefined;
  if (nanos === undefined || nanos < 0n) throw new Error(`eviction threshold "${item}": "${value}" is not a non-negative quantity (e.g. 100Mi) or percentage (e.g. 10%)`);
  return nanos === 0n ? undefined : { signal, quantity: Number(nanos) / 1e9 };
}

/** The amount below which `threshold` is met, given the signal's capacity. */
export function thresholdAmount(threshold: EvictionThreshold, capacity: number): number {
  return 'quantity' in threshold ? threshold.quantity : (capacity * threshold.percentage) / 100;
}

/** The thresholds that the observed signals meet (unobserved signals meet none). */
export function metThresholds(thresholds: readonly EvictionThreshold[], observed: ObservedSignals): EvictionThreshold[] {
  return thresholds.filter((t) => {
    const o = observed[t.signal];
    return o !== undefined && o.available < thresholdAmount(t, o.capacity);
  });
}

/** Which pressure each signal's threshold signals (the kubelet's signalToNodeCondition). */
export function pressureOf(signal: EvictionSignal): keyof NodePressure {
  if (signal.startsWith('memory.')) return 'memoryPressure';
  if (signal.startsWith('pid.')) return 'pidPressure';
  return 'diskPressure';
}

/** The pressures the met thresholds put the node under. */
export function nodePressure(met: readonly EvictionThreshold[]): NodePressure {
  const out = { ...noPressure };
  for (const t of met) out[pressureOf(t.signal)] = true;
  return out;
}
