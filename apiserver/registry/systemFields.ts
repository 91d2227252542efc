/** The metadata fields the server owns: uid, timestamps, generation, generated names. */
import { randomInt, randomUUID } from 'node:crypto';
import type { KubeObject, Stored } from '../../api/kinds/kind';
import { deepEqual } from '../../api/util/deepEqual';

/** RFC 3339 with second precision, as metav1.Time serialises: 2024-05-01T12:00:00Z. Default: now. */
export function timestamp(at?: Date): string {
  if (at) return format(at);
  // Every write stamps a time, often several: the text changes once a second.
  const second = Math.floor(Date.now() / 1000);
  if (second !== stamped.second) stamped = { second, text: format(new Date(second * 1000)) };
  return stamped.text;
}

let stamped = { second: NaN, text: '' };

function format(at: Date): string {
  return at.toISOString().slice(0, 19) + 'Z';
}

/** Kubernetes' alphabet for generated names: no vowels (no words), no look-alike characters. */
const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function generateName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += alphabet[randomInt(alphabet.length)];
  // Keep the whole name within 253 characters, as Kubernetes trims the prefix.
  return prefix.slice(0, 253 - 5) + suffix;
}

/** Sets the fields a new object starts with; anything the client sent for them is replaced. */
export function setCreateFields(obj: KubeObject): void {
  const meta = (obj.metadata ??= {});
  meta.uid = randomUUID();
  meta.creationTimestamp = timestamp();
  meta.generation = 1;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
}

/** Copies the fields an update may not set from the stored object. */
export function keepSystemFields(obj: KubeObject, old: Stored): void {
  const meta = (obj.metadata ??= {});
  meta.uid = old.metadata.uid;
  meta.creationTimestamp = old.metadata.creationTimestamp;
  meta.generation = old.metadata.generation;
  setOrDelete(meta, 'deletionTimestamp', old.metadata.deletionTimestamp);
  setOrDelete(meta, 'deletionGracePeriodSeconds', old.metadata.deletionGracePeriodSeconds);
  delete meta.selfLink;
}

function setOrDelete<K extends string>(target: Partial<Record<K, unknown>>, key: K, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

/** Whether anything besides metadata and status differs: what bumps metadata.generation. */
export function specChanged(obj: KubeObject, old: KubeObject): boolean {
  const keys = new Set([...Object.keys(obj), ...Object.keys(old)]);
  for (const key of keys) {
    if (key === 'metadata' || key === 'status' || key === 'apiVersion' || key === 'kind') continue;
    if (!deepEqual(obj[key], old[key])) return true;
  }
  return false;
}

/** Whether an update would change anything a client can observe (resourceVersion aside). */
export function objectChanged(obj: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
  return !deepEqual(strip(obj), strip(old));
}
