/**
 * Copying and comparing API objects as the JSON they are: a copy holds only JSON values, and two
 * objects are equal when they would serialise to the same JSON up to key order (a key whose
 * value is undefined counts as absent). Independent of prototypes and realms.
 */

/** A deep copy as through JSON (API objects are JSON). */
export { cloneJson } from '../../api/util/cloneJson';

/** Whether `a` and `b` are the same JSON value. */
export function equalJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => equalJson(x, bb[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && equalJson(ra[k], rb[k]));
}
