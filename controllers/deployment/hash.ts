/**
 * The pod-template-hash: a short, stable name for a pod template, as Kubernetes'
 * controller.ComputeHash makes it — FNV-1a (32 bits) of the template, then of the collision
 * count (4 bytes little-endian, padded to 8) when there is one, written in decimal and each digit
 * mapped through the alphabet of generated names (rand.SafeEncodeString). Kubernetes hashes the
 * Go struct's printed form; we hash the template's canonical JSON (keys sorted, absent and
 * undefined dropped), so the same template always gives the same hash.
 */

const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted at every level, undefined members dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** FNV-1a, 32 bits, over bytes, continuing from `hash`. */
export function fnv1a32(bytes: Uint8Array, hash = 0x811c9dc5): number {
  let h = hash >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: each character mapped into the vowel-less alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += alphanums[s.charCodeAt(i) % alphanums.length];
  return out;
}

/** The pod-template-hash of `template`, with `collisionCount` when set. */
export function computeHash(template: unknown, collisionCount?: number): string {
  let h = fnv1a32(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1a32(bytes, h);
  }
  return safeEncodeString(String(h));
}
