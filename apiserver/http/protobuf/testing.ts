/**
 * Test helpers: a minimal protobuf encoder (the write side of wire.ts) and Kubernetes' protobuf
 * envelope, to build request bodies the way Kubernetes' clients do.
 */

/** A field value: a varint, fixed 32/64-bit number, a string, raw bytes or a nested message. */
export type ProtoValue = { readonly varint: number | bigint } | { readonly fixed32: number } | { readonly fixed64: bigint } | string | Uint8Array | ProtoMessage;
/** A message: its fields in wire order, a number may repeat (repeated fields, map entries). */
export type ProtoMessage = readonly (readonly [number: number, value: ProtoValue])[];

export function varintBytes(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v ? b | 0x80 : b);
  } while (v);
  return out;
}

export function encodeMessage(fields: ProtoMessage): Buffer {
  const parts: Buffer[] = [];
  for (const [number, value] of fields) {
    if (typeof value === 'object' && 'varint' in value) {
      parts.push(Buffer.from([...varintBytes(number << 3), ...varintBytes(value.varint)]));
    } else if (typeof value === 'object' && 'fixed32' in value) {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(value.fixed32);
      parts.push(Buffer.from(varintBytes((number << 3) | 5)), b);
    } else if (typeof value === 'object' && 'fixed64' in value) {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(value.fixed64);
      parts.push(Buffer.from(varintBytes((number << 3) | 1)), b);
    } else {
      const payload = typeof value === 'string' ? Buffer.from(value, 'utf8') : value instanceof Uint8Array ? Buffer.from(value) : encodeMessage(value);
      parts.push(Buffer.from([...varintBytes((number << 3) | 2), ...varintBytes(payload.length)]), payload);
    }
  }
  return Buffer.concat(parts);
}

/** A map<string, V> as its entries. */
export function mapEntries(number: number, entries: Readonly<Record<string, ProtoValue>>): ProtoMessage {
  return Object.entries(entries).map(([key, value]) => [number, [[1, key], [2, value]]] as const);
}

/** A request body as Kubernetes' clients send it: `k8s\0`, then runtime.Unknown{typeMeta, raw}. */
export function kubernetesProtobuf(apiVersion: string, kind: string, object: ProtoMessage | Uint8Array): Buffer {
  const raw = object instanceof Uint8Array ? object : encodeMessage(object);
  const unknown = encodeMessage([
    [1, [[1, apiVersion], [2, kind]]],
    [2, raw],
    [3, ''],
    [4, ''],
  ]);
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
}
