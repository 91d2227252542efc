/**
 * The few protocol-buffer primitives etcd's messages need: varints, length-delimited fields and
 * nested messages, written and read by hand. Large numbers (revisions) are JavaScript numbers:
 * exact up to 2^53, far beyond any revision etcd reaches.
 *
 * Invariants:
 *   - a writer never emits a field whose value is the proto3 default (0, false, empty), except
 *     through `forceUint` for oneof members, whose presence carries meaning;
 *   - a reader skips fields it does not know (wire types 0, 1, 2, 5), so newer etcd versions may
 *     add fields freely.
 */

const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  Fixed32 = 5,
}

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

/** Reads one message: `for (const f of reader.fields())`, then the field's value accessor. */
export class ProtoReader {
  private pos: number;
  private readonly end: number;
  /** The current field's number and, for varints, its value; for bytes, where they lie. */
  private wire = 0;
  private valueStart = 0;
  private valueEnd = 0;
  private varintValue = 0;

  constructor(private readonly buf: Buffer, start = 0, end = buf.length) {
    this.pos = start;
    this.end = end;
  }

  /** Advances to the next field and returns its number, or 0 at the end of the message. */
  next(): number {
    if (this.pos >= this.end) return 0;
    const tag = this.readVarint();
    const field = Math.floor(tag / 8);
    this.wire = tag % 8;
    switch (this.wire) {
      case WireType.Varint:
        this.varintValue = this.readVarint();
        break;
      case WireType.LengthDelimited: {
        const length = this.readVarint();
        this.valueStart = this.pos;
        this.valueEnd = this.pos + length;
        if (this.valueEnd > this.end) throw new Error('protobuf: field runs past the end of its message');
        this.pos = this.valueEnd;
        break;
      }
      case WireType.Fixed64:
        this.pos += 8;
        break;
      case WireType.Fixed32:
        this.pos += 4;
        break;
      default:
        throw new Error(`protobuf: unsupported wire type ${this.wire} (field ${field})`);
    }
    if (field === 0 || this.pos > this.end) throw new Error('protobuf: malformed message');
    return field;
  }

  /** The current varint field's value. */
  uint(): number {
    this.expect(WireType.Varint);
    return this.varintValue;
  }

  bool(): boolean {
    return this.uint() !== 0;
  }

  /** The current length-delimited field's bytes (a view, not a copy). */
  bytes(): Buffer {
    this.expect(WireType.LengthDelimited);
    return this.buf.subarray(this.valueStart, this.valueEnd);
  }

  /** A reader over the current length-delimited field (a nested message). */
  message(): ProtoReader {
    this.expect(WireType.LengthDelimited);
    return new ProtoReader(this.buf, this.valueStart, this.valueEnd);
  }

  private expect(wire: WireType): void {
    if (this.wire !== wire) throw new Error(`protobuf: expected wire type ${wire}, found ${this.wire}`);
  }

  private readVarint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.end) throw new Error('protobuf: truncated varint');
      const byte = this.buf[this.pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
      if (scale > 2 ** 63) throw new Error('protobuf: varint too long');
    }
  }
}
