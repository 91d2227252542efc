/**
 * Reading and writing members of parsed JSON objects by keys that come from a request. Own
 * members only, written as plain data: a key such as "constructor" or "__proto__" is an ordinary
 * key, never Object.prototype's.
 */

export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** The own member `key` of `obj`, or undefined. */
export function own(obj: Readonly<Record<string, unknown>>, key: string): unknown {
  return hasOwn(obj, key) ? obj[key] : undefined;
}

export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}
