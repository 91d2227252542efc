/**
 * The protobuf wire format, write side, for the requests Marina sends etcd: varints,
 * length-delimited bytes and nested messages (the read side is apiserver/http/protobuf/wire.ts).
 * Numbers are JavaScript numbers: exact up to 2^53, far beyond any revision etcd reaches.
 *
 * Invariant: a field whose value is the proto3 default (0, false, empty) is not written, except
 * through `forceUint` for oneof members, whose presence carries meaning.
 */
import { WireType } from '../../http/protobuf/wire';

function varintBytes(value: number, out: number[]): void {
  // Numbers above 2^31 cannot use bit operators: divide instead.
  while (value > 0x7f) {
    out.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  out.push(value);
}

/** Builds one message. Nested messages are written as finished writers. */
export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  /** Bytes of the encoding so far. */
  length = 0;

  uint(field: number, value: number | undefined): this {
    if (!value) return this;
    return this.forceUint(field, value);
  }

  /** Writes the number even when it is 0 (a oneof member, where presence matters). */
  forceUint(field: number, value: number): this {
    const bytes: number[] = [];
    varintBytes(field * 8 + WireType.Varint, bytes);
    varintBytes(value, bytes);
    return this.push(Buffer.from(bytes));
  }

  bool(field: number, value: boolean | undefined): this {
    return value ? this.forceUint(field, 1) : this;
  }

  bytes(field: number, value: Uint8Array | undefined): this {
    if (!value || value.length === 0) return this;
    this.header(field, value.length);
    return this.push(value);
  }

  message(field: number, value: ProtoWriter): this {
    this.header(field, value.length);
    for (const part of value.parts) this.push(part);
    return this;
  }

  /** The encoding, behind `prefix` bytes left zero for the caller (gRPC's frame header). */
  finish(prefix = 0): Buffer {
    const out = Buffer.allocUnsafe(prefix + this.length);
    out.fill(0, 0, prefix);
    let at = prefix;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  private header(field: number, length: number): void {
    const bytes: number[] = [];
    varintBytes(field * 8 + WireType.LengthDelimited, bytes);
    varintBytes(length, bytes);
    this.push(Buffer.from(bytes));
  }

  private push(part: Uint8Array): this {
    this.parts.push(part);
    this.length += part.length;
    return this;
  }
}
