/**
 * JSON merge patch (RFC 7386), `application/merge-patch+json`: objects merge recursively, `null`
 * deletes a key, anything else (arrays included) replaces.
 */
import { cloneJson } from '../util/cloneJson';
import { isPlainObject } from '../schema/walk';
import { hasOwn, setOwn } from './ownMembers';
import { deepEqual } from '../util/deepEqual';

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return cloneJson(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else setOwn(result, key, applyMergePatch(hasOwn(result, key) ? result[key] : undefined, value));
  }
  return result;
}

/** The merge patch that turns `from` into `to` (used by clients such as `marina apply`). */
export function createMergePatch(from: unknown, to: unknown): unknown {
  if (!isPlainObject(from) || !isPlainObject(to)) return cloneJson(to);
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(from)) if (!hasOwn(to, key)) setOwn(patch, key, null);
  for (const [key, value] of Object.entries(to)) {
    if (!hasOwn(from, key)) {
      setOwn(patch, key, cloneJson(value));
      continue;
    }
    const sub = createMergePatch(from[key], value);
    if (isPlainObject(sub) && isPlainObject(value) && isPlainObject(from[key])) {
      if (Object.keys(sub).length) setOwn(patch, key, sub);
    } else if (!deepEqual(from[key], value)) {
      setOwn(patch, key, sub);
    }
  }
  return patch;
}
