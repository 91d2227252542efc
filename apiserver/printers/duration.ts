/**
 * Ages and durations as kubectl shows them: Kubernetes' duration.HumanDuration
 * (k8s.io/apimachinery/pkg/util/duration), about two or three significant figures: "45s", "3m20s",
 * "10m", "3h12m", "20h", "2d4h", "30d", "3y100d".
 */

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

/** HumanDuration of `ms` milliseconds. */
export function humanDuration(ms: number): string {
  // Go's int(d.Seconds()) truncates toward zero; up to 2 s in the future counts as now (clock skew).
  const seconds = Math.trunc(ms / second);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / minute);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / hour);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** A timestamp in milliseconds, or undefined for an absent (Go's zero) or unparsable time. */
export function parseTime(timestamp: string | undefined | null): number | undefined {
  if (!timestamp) return undefined;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : ms;
}

/** translateTimestampSince: how long ago `timestamp` was, or "<unknown>" without one. */
export function since(timestamp: string | undefined | null, now: number): string {
  const ms = parseTime(timestamp);
  return ms === undefined ? '<unknown>' : humanDuration(now - ms);
}
