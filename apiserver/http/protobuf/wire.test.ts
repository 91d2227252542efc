import { encodeMessage, varintBytes } from './testing';
import { MalformedProtobuf, WireReader, WireType } from './wire';

const reader = (bytes: number[]) => new WireReader(Uint8Array.from(bytes));

describe('WireReader', () => {
  it('reads varints of one to ten bytes', () => {
    expect(reader([0x00]).varint()).toBe(0n);
    expect(reader([0x96, 0x01]).varint()).toBe(150n);
    expect(reader([0xac, 0x02]).varint()).toBe(300n);
    expect(reader(varintBytes(2n ** 64n - 1n)).varint()).toBe(2n ** 64n - 1n);
    // A negative int32 is sign-extended to ten bytes.
    expect(varintBytes(-1)).toHaveLength(10);
    expect(BigInt.asIntN(32, reader(varintBytes(-1)).varint())).toBe(-1n);
  });

  it('rejects a truncated or overlong varint', () => {
    expect(() => reader([0x96]).varint()).toThrow(MalformedProtobuf);
    expect(() => reader(new Array(11).fill(0xff)).varint()).toThrow(/overflow/);
  });

  it('reads keys: field number and wire type', () => {
    expect(reader([0x08]).key()).toEqual({ number: 1, wireType: WireType.Varint });
    expect(reader([0x12]).key()).toEqual({ number: 2, wireType: WireType.LengthDelimited });
    expect(reader([0x82, 0x01]).key()).toEqual({ number: 16, wireType: WireType.LengthDelimited });
    expect(reader([0x0d]).key()).toEqual({ number: 1, wireType: WireType.Fixed32 });
  });

  it('rejects field number 0 and group wire types', () => {
    expect(() => reader([0x02]).key()).toThrow(/illegal field number 0/);
    expect(() => reader([0x0b]).key()).toThrow(/illegal wireType 3/);
    expect(() => reader([0x0c]).key()).toThrow(/illegal wireType 4/);
  });

  it('reads little-endian fixed values', () => {
    expect(reader([0x01, 0x02, 0x03, 0x84]).fixed32()).toBe(0x84030201);
    expect(reader([1, 0, 0, 0, 0, 0, 0, 0x80]).fixed64()).toBe(2n ** 63n + 1n);
    expect(() => reader([1, 2, 3]).fixed32()).toThrow(MalformedProtobuf);
  });

  it('reads length-delimited values within bounds only', () => {
    const r = reader([0x03, 0x61, 0x62, 0x63, 0x01]);
    expect(Buffer.from(r.lengthDelimited()).toString()).toBe('abc');
    expect(r.done()).toBe(false);
    expect(() => reader([0x05, 0x61]).lengthDelimited()).toThrow(/past the end/);
  });

  it('skips a value of every wire type', () => {
    const bytes = encodeMessage([
      [1, { varint: 300 }],
      [2, 'text'],
      [3, { fixed32: 7 }],
      [4, { fixed64: 9n }],
      [5, { varint: 1 }],
    ]);
    const r = new WireReader(bytes);
    for (let i = 0; i < 4; i++) r.skip(r.key().wireType);
    expect(r.key()).toEqual({ number: 5, wireType: WireType.Varint });
    expect(r.varint()).toBe(1n);
    expect(r.done()).toBe(true);
  });
});
