import { decodeMessage } from './decode';
import { always, bool, bytes, defineMessage, inline, int32, int64, list, map, msg, str, type JsonObject, type MessageType } from './descriptor';
import { IntOrString, Quantity, Time } from './meta';
import { encodeMessage, mapEntries, type ProtoMessage } from './testing';

const Ref = defineMessage('test.Ref', { name: str(1) });
const Inner = defineMessage('test.Inner', { ref: inline(1, Ref), key: always(str(2)) });
const Sample = defineMessage('test.Sample', {
  text: str(1),
  keptText: always(str(2)),
  count: int32(3),
  keptCount: always(int32(4)),
  flag: bool(5),
  keptFlag: always(bool(6)),
  big: int64(7),
  tags: list(8, 'string'),
  numbers: list(9, 'int64'),
  labels: map(10, 'string'),
  inner: msg(11, Inner),
  inners: list(12, Inner),
  data: bytes(13),
  limits: map(14, Quantity),
  port: msg(15, IntOrString),
  keptPort: always(msg(16, IntOrString)),
  created: msg(17, Time),
});

const decode = (type: MessageType, fields: ProtoMessage) => decodeMessage(type, encodeMessage(fields)) as JsonObject;

describe('decodeMessage', () => {
  it('drops zero values unless the field keeps them, as Go writes omitempty and pointer fields', () => {
    const zeros: ProtoMessage = [
      [1, ''],
      [2, ''],
      [3, { varint: 0 }],
      [4, { varint: 0 }],
      [5, { varint: 0 }],
      [6, { varint: 0 }],
      [7, { varint: 0 }],
    ];
    expect(decode(Sample, zeros)).toEqual({ keptText: '', keptCount: 0, keptFlag: false });
  });

  it('keeps a nested message even when it is empty, as Go writes structs', () => {
    expect(decode(Sample, [[11, []]])).toEqual({ inner: {} });
    expect(decode(Ref, [])).toEqual({});
  });

  it('decodes negative and 64-bit integers', () => {
    expect(decode(Sample, [[3, { varint: -5 }], [7, { varint: 2 ** 40 }]])).toEqual({ count: -5, big: 2 ** 40 });
    expect(decode(Sample, [[7, { varint: -1 }]])).toEqual({ big: -1 });
  });

  it('decodes repeated fields, packed or not, and keeps their order', () => {
    const packed = Buffer.from([1, 0xac, 0x02, 3]);
    expect(decode(Sample, [[8, 'a'], [8, ''], [8, 'b'], [9, { varint: 7 }], [9, packed]])).toEqual({ tags: ['a', '', 'b'], numbers: [7, 1, 300, 3] });
  });

  it('decodes maps, a missing value being the zero of its type', () => {
    const fields: ProtoMessage = [...mapEntries(10, { app: 'web', empty: '' }), [10, [[1, 'novalue']]], ...mapEntries(14, { cpu: [[1, '500m']] }), [14, [[1, 'memory']]]];
    expect(decode(Sample, fields)).toEqual({ labels: { app: 'web', empty: '', novalue: '' }, limits: { cpu: '500m', memory: '' } });
  });

  it('writes an inlined struct into its parent object', () => {
    expect(decode(Sample, [[12, [[1, [[1, 'cm']]], [2, 'k']]]])).toEqual({ inners: [{ name: 'cm', key: 'k' }] });
  });

  it('writes bytes in base64, as Go writes []byte', () => {
    expect(decode(Sample, [[13, Uint8Array.from([0, 1, 255])]])).toEqual({ data: 'AAH/' });
  });

  it('converts IntOrString, Quantity and Time to their JSON form', () => {
    expect(decode(Sample, [[15, [[1, { varint: 0 }], [2, { varint: 8080 }]]]])).toEqual({ port: 8080 });
    expect(decode(Sample, [[15, [[1, { varint: 1 }], [3, 'http']]]])).toEqual({ port: 'http' });
    // A zero IntOrString is dropped unless the field is a pointer (PDB minAvailable: 0).
    expect(decode(Sample, [[15, [[1, { varint: 0 }], [2, { varint: 0 }]]]])).toEqual({});
    expect(decode(Sample, [[16, [[1, { varint: 0 }], [2, { varint: 0 }]]]])).toEqual({ keptPort: 0 });
    expect(decode(Sample, [[17, [[1, { varint: 1700000000 }], [2, { varint: 5 }]]]])).toEqual({ created: '2023-11-14T22:13:20Z' });
    // The zero time (creationTimestamp on create) is dropped.
    expect(decode(Sample, [[17, []]])).toEqual({});
  });

  it('skips unknown fields of every wire type', () => {
    const fields: ProtoMessage = [
      [99, { varint: 1 }],
      [1, 'kept'],
      [100, 'unknown'],
      [101, { fixed32: 1 }],
      [102, { fixed64: 1n }],
      [103, [[1, 'nested']]],
    ];
    expect(decode(Sample, fields)).toEqual({ text: 'kept' });
  });

  it('takes the last value of a field that occurs twice', () => {
    expect(decode(Sample, [[1, 'first'], [1, 'second']])).toEqual({ text: 'second' });
  });

  it('writes fields in the order of the descriptor, whatever the wire order', () => {
    expect(Object.keys(decode(Sample, [[5, { varint: 1 }], [3, { varint: 2 }], [1, 'x']]))).toEqual(['text', 'count', 'flag']);
  });

  it('rejects a value whose wire type does not fit its field', () => {
    expect(() => decode(Sample, [[1, { varint: 1 }]])).toThrow('proto: wrong wireType = 0 for field text');
    expect(() => decode(Sample, [[3, 'x']])).toThrow('proto: wrong wireType = 2 for field count');
    expect(() => decode(Sample, [[11, { fixed32: 1 }]])).toThrow('proto: wrong wireType = 5 for field inner');
  });

  it('rejects a nested message that is itself malformed', () => {
    expect(() => decodeMessage(Sample, Buffer.from([0x5a, 0x02, 0x0a, 0x05]))).toThrow(/past the end/);
  });
});
