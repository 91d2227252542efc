/**
 * JSON texts of stored objects. A stored object (a write's result, a watch cache entry) is never
 * mutated, so its text is made once and shared by the write's answer and every watcher.
 *
 * A write makes the text its etcd value needs, the object without resourceVersion; the object as
 * stored differs only by the resourceVersion that ends its metadata (withRevision), so its text is
 * the value's text with that field spliced in, rather than a second JSON.stringify.
 */
import type { KubeObject } from '../../api/kinds/kind';

const texts = new WeakMap<object, string>();

/** JSON.stringify(obj), computed once per object. `obj` must never be mutated. */
export function storedJson(obj: object): string {
  let json = texts.get(obj);
  if (json === undefined) {
    json = JSON.stringify(obj);
    texts.set(obj, json);
  }
  return json;
}

/** An object's encoding for etcd, and the text of the same object stored at a revision. */
export interface EncodedObject {
  /** JSON of the object without metadata.resourceVersion (never stored: it is the key's mod revision). */
  readonly value: string;
  /** JSON.stringify(withRevision(obj, revision)): metadata gets resourceVersion as its last field. */
  textAt(revision: number): string;
}

/** Encodes `obj` for etcd (see EncodedObject); a missing metadata is written as `{}`, last. */
export function encodeObject(obj: KubeObject): EncodedObject {
  const { resourceVersion: _rv, ...metadata } = obj.metadata ?? {};
  const meta = JSON.stringify(metadata);
  let before = '{';
  let after = '';
  let seenMetadata = false;
  const record = obj as unknown as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key === 'metadata') {
      before += (before === '{' ? '' : ',') + '"metadata":';
      seenMetadata = true;
      continue;
    }
    const text = JSON.stringify(record[key]);
    if (text === undefined) continue; // undefined and functions are left out, as JSON.stringify does
    const pair = JSON.stringify(key) + ':' + text;
    if (seenMetadata) after += ',' + pair;
    else before += (before === '{' ? '' : ',') + pair;
  }
  if (!seenMetadata) before += (before === '{' ? '' : ',') + '"metadata":';
  after += '}';
  return {
    value: before + meta + after,
    textAt: (revision) => before + (meta === '{}' ? '{' : meta.slice(0, -1) + ',') + `"resourceVersion":"${revision}"}` + after,
  };
}

/** The object `obj` stored at `revision`, with its text from `encoded` remembered for storedJson. */
export function storedAt(obj: KubeObject, revision: number, encoded: EncodedObject): KubeObject {
  const object = withRevision(obj, revision);
  texts.set(object, encoded.textAt(revision));
  return object;
}

/**
 * A copy of `obj` carrying `revision` as its resourceVersion (the caller's object is not changed),
 * its fields in the order decoding the stored value gives.
 */
export function withRevision(obj: KubeObject, revision: number): KubeObject {
  const { resourceVersion: _rv, ...metadata } = obj.metadata ?? {};
  return { ...obj, metadata: { ...metadata, resourceVersion: String(revision) } };
}
