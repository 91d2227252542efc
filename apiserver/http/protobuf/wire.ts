/**
 * The protobuf wire format, read side: a key (field number and wire type) then a varint, a
 * fixed 64- or 32-bit value, or a length-delimited run of bytes (strings, bytes, nested messages,
 * packed repeated numbers). Groups (wire types 3 and 4) are not used by Kubernetes' messages and
 * are rejected. Every read checks the bounds: a malformed body raises MalformedProtobuf.
 */

export const WireType = { Varint: 0, Fixed64: 1, LengthDelimited: 2, Fixed32: 5 } as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

/** The body is not a well-formed protobuf message (answered 400). */
export class MalformedProtobuf extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedProtobuf';
  }
}

export interface FieldKey {
  readonly number: number;
  readonly wireType: WireType;
}

function isWireType(n: number): n is WireType {
  return n === WireType.Varint || n === WireType.Fixed64 || n === WireType.LengthDelimited || n === WireType.Fixed32;
}

export class WireReader {
  private pos = 0;

  constructor(private readonly bytes: Uint8Array) {}

  done(): boolean {
    return this.pos >= this.bytes.length;
  }

  /** The next field's key. */
  key(): FieldKey {
    const key = this.varint();
    const wireType = Number(key & 7n);
    const number = Number(key >> 3n);
    if (number < 1 || number > 0x1fffffff) throw new MalformedProtobuf(`proto: illegal field number ${number}`);
    if (!isWireType(wireType)) throw new MalformedProtobuf(`proto: illegal wireType ${wireType} for field ${number}`);
    return { number, wireType };
  }

  /** An unsigned varint of up to 64 bits. */
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.bytes.length) throw new MalformedProtobuf('proto: unexpected end of data in a varint');
      const b = this.bytes[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw new MalformedProtobuf('proto: integer overflow in a varint');
  }

  fixed64(): bigint {
    return this.take(8).reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
  }

  fixed32(): number {
    const b = this.take(4);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }

  /** A length-delimited value: its bytes (a view, not a copy). */
  lengthDelimited(): Uint8Array {
    const length = this.varint();
    if (length > BigInt(this.bytes.length - this.pos)) throw new MalformedProtobuf('proto: length-delimited value runs past the end of the data');
    return this.take(Number(length));
  }

  /** Skips a value of the given wire type (a field the descriptor does not know). */
  skip(wireType: WireType): void {
    if (wireType === WireType.Varint) this.varint();
    else if (wireType === WireType.Fixed64) this.take(8);
    else if (wireType === WireType.Fixed32) this.take(4);
    else this.lengthDelimited();
  }

  private take(n: number): Uint8Array {
    if (this.pos + n > this.bytes.length) throw new MalformedProtobuf('proto: unexpected end of data');
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}
