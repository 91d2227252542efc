/**
 * JSON patch (RFC 6902), `application/json-patch+json`: a list of add / remove / replace / move /
 * copy / test operations on JSON pointers. Failures throw JsonPatchError with the operation.
 */
import { cloneJson } from '../util/cloneJson';
import { deepEqual } from '../util/deepEqual';
import { isPlainObject } from '../schema/walk';
import { hasOwn, setOwn } from './ownMembers';

export class JsonPatchError extends Error {}

export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string;
}

/** Checks that `patch` is a list of well-formed operations (a malformed patch is a 400). */
export function parseJsonPatch(patch: unknown): JsonPatchOperation[] {
  if (!Array.isArray(patch)) throw new JsonPatchError('a JSON patch must be an array of operations');
  return patch.map((op: unknown, i) => {
    if (!isPlainObject(op)) throw new JsonPatchError(`operation ${i} is not an object`);
    const name = op.op;
    if (typeof name !== 'string' || !['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(name)) {
      throw new JsonPatchError(`operation ${i}: unsupported op ${JSON.stringify(name)}`);
    }
    if (typeof op.path !== 'string') throw new JsonPatchError(`operation ${i}: missing "path"`);
    if ((name === 'move' || name === 'copy') && typeof op.from !== 'string') throw new JsonPatchError(`operation ${i}: missing "from"`);
    if ((name === 'add' || name === 'replace' || name === 'test') && !('value' in op)) throw new JsonPatchError(`operation ${i}: missing "value"`);
    return op as unknown as JsonPatchOperation;
  });
}

export function applyJsonPatch(document: unknown, operations: readonly JsonPatchOperation[]): unknown {
  let doc = cloneJson(document);
  for (const op of operations) doc = applyOne(doc, op);
  return doc;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function get(doc: unknown, tokens: readonly string[], pointer: string): unknown {
  let at: unknown = doc;
  for (const token of tokens) {
    if (Array.isArray(at)) {
      const i = arrayIndex(token, at.length - 1, pointer);
      at = at[i];
    } else if (isPlainObject(at) && hasOwn(at, token)) {
      at = at[token];
    } else {
      throw new JsonPatchError(`path ${pointer} does not exist`);
    }
  }
  return at;
}

function arrayIndex(token: string, max: number, pointer: string): number {
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new JsonPatchError(`invalid array index ${JSON.stringify(token)} in ${pointer}`);
  const i = Number(token);
  if (i > max) throw new JsonPatchError(`array index ${i} out of bounds in ${pointer}`);
  return i;
}

function applyOne(doc: unknown, op: JsonPatchOperation): unknown {
  const tokens = parsePointer(op.path);
  switch (op.op) {
    case 'test':
      if (!deepEqual(get(doc, tokens, op.path), op.value)) throw new JsonPatchError(`test failed at ${op.path}`);
      return doc;
    case 'add':
      return add(doc, tokens, cloneJson(op.value), op.path);
    case 'remove':
      return remove(doc, tokens, op.path);
    case 'replace':
      return add(remove(doc, tokens, op.path), tokens, cloneJson(op.value), op.path);
    case 'copy':
      return add(doc, tokens, cloneJson(get(doc, parsePointer(op.from!), op.from!)), op.path);
    case 'move': {
      if (op.path.startsWith(op.from! + '/')) throw new JsonPatchError(`cannot move ${op.from} into its own child ${op.path}`);
      const value = get(doc, parsePointer(op.from!), op.from!);
      return add(remove(doc, parsePointer(op.from!), op.from!), tokens, value, op.path);
    }
  }
}

function add(doc: unknown, tokens: readonly string[], value: unknown, pointer: string): unknown {
  if (tokens.length === 0) return value;
  const parent = get(doc, tokens.slice(0, -1), pointer);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : arrayIndex(last, parent.length, pointer);
    parent.splice(i, 0, value);
  } else if (isPlainObject(parent)) {
    setOwn(parent, last, value); // a "__proto__" member must stay a plain member
  } else {
    throw new JsonPatchError(`path ${pointer}: parent is not a container`);
  }
  return doc;
}

function remove(doc: unknown, tokens: readonly string[], pointer: string): unknown {
  if (tokens.length === 0) return undefined;
  const parent = get(doc, tokens.slice(0, -1), pointer);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(last, parent.length - 1, pointer), 1);
  } else if (isPlainObject(parent) && hasOwn(parent, last)) {
    delete parent[last];
  } else {
    throw new JsonPatchError(`path ${pointer} does not exist`);
  }
  return doc;
}
