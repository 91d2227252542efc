/**
 * etcd v3's KV messages (api/etcdserverpb/rpc.proto, api/mvccpb/kv.proto), only the fields Marina
 * uses, encoded and decoded with protobuf.ts. Field numbers are etcd's; names follow etcd's in
 * camelCase.
 */
import { WireReader, WireType } from '../../http/protobuf/wire';
import { ProtoWriter } from './protoWriter';

export interface KeyValue {
  readonly key: Buffer;
  readonly createRevision: number;
  readonly modRevision: number;
  readonly value: Buffer;
}

export interface RangeRequest {
  readonly key: Buffer;
  readonly rangeEnd?: Buffer;
  readonly limit?: number;
  readonly revision?: number;
  readonly keysOnly?: boolean;
  readonly countOnly?: boolean;
  readonly minModRevision?: number;
}

export interface RangeResponse {
  /** The store's revision when the range was served. */
  readonly revision: number;
  readonly kvs: KeyValue[];
  readonly more: boolean;
  readonly count: number;
}

/** A Compare of one key: its create or mod revision equal to `revision`. */
export interface Compare {
  readonly key: Buffer;
  readonly target: 'create' | 'mod';
  readonly revision: number;
}

export type RequestOp =
  | { readonly range: RangeRequest }
  | { readonly put: { readonly key: Buffer; readonly value: Buffer } }
  | { readonly deleteRange: { readonly key: Buffer; readonly prevKv?: boolean } };

export interface TxnRequest {
  readonly compare: readonly Compare[];
  readonly success: readonly RequestOp[];
  readonly failure: readonly RequestOp[];
}

/** One operation's result: the kvs of a range, or the previous kvs of a delete. */
export interface ResponseOp {
  readonly kvs: KeyValue[];
}

export interface TxnResponse {
  readonly revision: number;
  readonly succeeded: boolean;
  readonly responses: ResponseOp[];
}

// Compare.CompareResult EQUAL and Compare.CompareTarget CREATE / MOD.
const compareEqual = 0;
const targetCreate = 1;
const targetMod = 2;

export function encodeRange(r: RangeRequest): ProtoWriter {
  return new ProtoWriter()
    .bytes(1, r.key)
    .bytes(2, r.rangeEnd)
    .uint(3, r.limit)
    .uint(4, r.revision)
    .bool(8, r.keysOnly)
    .bool(9, r.countOnly)
    .uint(10, r.minModRevision);
}

function encodeCompare(c: Compare): ProtoWriter {
  const w = new ProtoWriter().uint(1, compareEqual).uint(2, c.target === 'create' ? targetCreate : targetMod).bytes(3, c.key);
  // target_union is a oneof: the revision is written even when 0 ("does not exist").
  return w.forceUint(c.target === 'create' ? 5 : 6, c.revision);
}

function encodeOp(op: RequestOp): ProtoWriter {
  if ('range' in op) return new ProtoWriter().message(1, encodeRange(op.range));
  if ('put' in op) return new ProtoWriter().message(2, new ProtoWriter().bytes(1, op.put.key).bytes(2, op.put.value));
  return new ProtoWriter().message(3, new ProtoWriter().bytes(1, op.deleteRange.key).bool(3, op.deleteRange.prevKv));
}

export function encodeTxn(t: TxnRequest): ProtoWriter {
  const w = new ProtoWriter();
  for (const c of t.compare) w.message(1, encodeCompare(c));
  for (const op of t.success) w.message(2, encodeOp(op));
  for (const op of t.failure) w.message(3, encodeOp(op));
  return w;
}

export function encodeCompaction(revision: number): ProtoWriter {
  return new ProtoWriter().uint(1, revision);
}

/**
 * Reads a message field by field: `read` consumes the value of each field it knows and returns
 * true; the others are skipped, so newer etcd versions may add fields freely.
 */
function eachField(bytes: Uint8Array, read: (field: number, wire: WireType, r: WireReader) => boolean): void {
  const r = new WireReader(bytes);
  while (!r.done()) {
    const { number, wireType } = r.key();
    if (!read(number, wireType, r)) r.skip(wireType);
  }
}

const isVarint = (w: WireType) => w === WireType.Varint;
const isBytes = (w: WireType) => w === WireType.LengthDelimited;
/** A view as a Buffer (no copy): values are decoded with Buffer's toString. */
const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** ResponseHeader.revision. */
function decodeHeaderRevision(bytes: Uint8Array): number {
  let revision = 0;
  eachField(bytes, (f, w, r) => {
    if (f !== 3 || !isVarint(w)) return false;
    revision = Number(r.varint());
    return true;
  });
  return revision;
}

export function decodeKeyValue(bytes: Uint8Array): KeyValue {
  let key: Buffer = Buffer.alloc(0);
  let value: Buffer = Buffer.alloc(0);
  let createRevision = 0;
  let modRevision = 0;
  eachField(bytes, (f, w, r) => {
    if (f === 1 && isBytes(w)) key = asBuffer(r.lengthDelimited());
    else if (f === 2 && isVarint(w)) createRevision = Number(r.varint());
    else if (f === 3 && isVarint(w)) modRevision = Number(r.varint());
    else if (f === 5 && isBytes(w)) value = asBuffer(r.lengthDelimited());
    else return false;
    return true;
  });
  return { key, createRevision, modRevision, value };
}

export function decodeRange(bytes: Uint8Array): RangeResponse {
  let revision = 0;
  const kvs: KeyValue[] = [];
  let more = false;
  let count = 0;
  eachField(bytes, (f, w, r) => {
    if (f === 1 && isBytes(w)) revision = decodeHeaderRevision(r.lengthDelimited());
    else if (f === 2 && isBytes(w)) kvs.push(decodeKeyValue(r.lengthDelimited()));
    else if (f === 3 && isVarint(w)) more = r.varint() !== 0n;
    else if (f === 4 && isVarint(w)) count = Number(r.varint());
    else return false;
    return true;
  });
  return { revision, kvs, more, count };
}

/** A ResponseOp: the kvs of its range, or the prev_kvs of its delete_range (a put carries none). */
function decodeResponseOp(bytes: Uint8Array): ResponseOp {
  const kvs: KeyValue[] = [];
  eachField(bytes, (f, w, r) => {
    if (f === 1 && isBytes(w)) kvs.push(...decodeRange(r.lengthDelimited()).kvs);
    else if (f === 3 && isBytes(w)) {
      // DeleteRangeResponse: header 1, deleted 2, prev_kvs 3.
      eachField(r.lengthDelimited(), (g, gw, d) => {
        if (g !== 3 || !isBytes(gw)) return false;
        kvs.push(decodeKeyValue(d.lengthDelimited()));
        return true;
      });
    } else return false;
    return true;
  });
  return { kvs };
}

export function decodeTxn(bytes: Uint8Array): TxnResponse {
  let revision = 0;
  let succeeded = false;
  const responses: ResponseOp[] = [];
  eachField(bytes, (f, w, r) => {
    if (f === 1 && isBytes(w)) revision = decodeHeaderRevision(r.lengthDelimited());
    else if (f === 2 && isVarint(w)) succeeded = r.varint() !== 0n;
    else if (f === 3 && isBytes(w)) responses.push(decodeResponseOp(r.lengthDelimited()));
    else return false;
    return true;
  });
  return { revision, succeeded, responses };
}

/** WatchRequest.create_request: watch keys from `key` to `rangeEnd` from `startRevision`. */
export interface WatchCreateRequest {
  readonly key: Buffer;
  readonly rangeEnd: Buffer;
  readonly startRevision: number;
  readonly progressNotify: boolean;
  readonly prevKv: boolean;
}

export function encodeWatchCreate(c: WatchCreateRequest): ProtoWriter {
  const create = new ProtoWriter().bytes(1, c.key).bytes(2, c.rangeEnd).uint(3, c.startRevision).bool(4, c.progressNotify).bool(6, c.prevKv);
  return new ProtoWriter().message(1, create);
}

export interface WatchEvent {
  readonly type: 'PUT' | 'DELETE';
  readonly kv: KeyValue;
  /** The previous version (watches created with prevKv), decoded for deletes only: puts never need it. */
  readonly prevKv?: KeyValue;
}

export interface WatchResponse {
  readonly revision: number;
  readonly created: boolean;
  readonly canceled: boolean;
  readonly compactRevision: number;
  readonly cancelReason: string;
  readonly events: WatchEvent[];
}

function decodeWatchEvent(bytes: Uint8Array): WatchEvent {
  let type = 'PUT' as 'PUT' | 'DELETE';
  let kv: Uint8Array = new Uint8Array(0);
  let prev: Uint8Array | undefined;
  eachField(bytes, (f, w, r) => {
    if (f === 1 && isVarint(w)) type = r.varint() === 1n ? 'DELETE' : 'PUT';
    else if (f === 2 && isBytes(w)) kv = r.lengthDelimited();
    else if (f === 3 && isBytes(w)) prev = r.lengthDelimited();
    else return false;
    return true;
  });
  return { type, kv: decodeKeyValue(kv), ...(type === 'DELETE' && prev ? { prevKv: decodeKeyValue(prev) } : {}) };
}

export function decodeWatchResponse(bytes: Uint8Array): WatchResponse {
  let revision = 0;
  let created = false;
  let canceled = false;
  let compactRevision = 0;
  let cancelReason = '';
  const events: WatchEvent[] = [];
  eachField(bytes, (f, w, r) => {
    if (f === 1 && isBytes(w)) revision = decodeHeaderRevision(r.lengthDelimited());
    else if (f === 3 && isVarint(w)) created = r.varint() !== 0n;
    else if (f === 4 && isVarint(w)) canceled = r.varint() !== 0n;
    else if (f === 5 && isVarint(w)) compactRevision = Number(r.varint());
    else if (f === 6 && isBytes(w)) cancelReason = asBuffer(r.lengthDelimited()).toString();
    else if (f === 11 && isBytes(w)) events.push(decodeWatchEvent(r.lengthDelimited()));
    else return false;
    return true;
  });
  return { revision, created, canceled, compactRevision, cancelReason, events };
}
