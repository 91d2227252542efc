import { decodeRange, decodeTxn, encodeRange, encodeTxn } from './etcdMessages';
import { ProtoReader, ProtoWriter } from './protobuf';

describe('ProtoWriter and ProtoReader', () => {
  it('round-trips varints beyond 32 bits, bytes and nested messages, and skips unknown fields', () => {
    const nested = new ProtoWriter().uint(1, 2 ** 40 + 3).bytes(2, Buffer.from('hello'));
    const buf = new ProtoWriter().uint(7, 300).message(3, nested).bool(9, true).finish();
    const r = new ProtoReader(buf);
    const seen: unknown[] = [];
    for (let f = r.next(); f; f = r.next()) {
      if (f === 3) {
        const n = r.message();
        for (let g = n.next(); g; g = n.next()) seen.push(g === 1 ? n.uint() : n.bytes().toString());
      } else seen.push(`${f}=${r.uint()}`);
    }
    expect(seen).toEqual(['7=300', 2 ** 40 + 3, 'hello', '9=1']);
  });

  it('omits proto3 defaults except where presence is forced', () => {
    expect(new ProtoWriter().uint(1, 0).bool(2, false).bytes(3, Buffer.alloc(0)).length).toBe(0);
    expect([...new ProtoWriter().forceUint(5, 0).finish()]).toEqual([5 * 8, 0]);
  });

  it('leaves the requested prefix zeroed for the frame header', () => {
    const out = new ProtoWriter().uint(1, 1).finish(5);
    expect([...out]).toEqual([0, 0, 0, 0, 0, 8, 1]);
  });

  it('refuses truncated and malformed input instead of reading past the message', () => {
    expect(() => new ProtoReader(Buffer.from([0x08, 0x80])).next()).toThrow(/truncated varint/);
    expect(() => new ProtoReader(Buffer.from([0x12, 0x05, 0x01])).next()).toThrow(/past the end/);
    expect(() => new ProtoReader(Buffer.from([0x0b])).next()).toThrow(/wire type 3/);
    const lengthField = new ProtoReader(Buffer.from([0x12, 0x01, 0x01]));
    lengthField.next();
    expect(() => lengthField.uint()).toThrow(/expected wire type 0/);
  });
});

describe('etcd messages', () => {
  it('encodes a create transaction with the compare revision present though zero', () => {
    const key = Buffer.from('/k');
    const bytes = encodeTxn({ compare: [{ key, target: 'create', revision: 0 }], success: [{ put: { key, value: Buffer.from('v') } }], failure: [] }).finish();
    // compare{target=CREATE(2:1) key(3) create_revision=0(5)} success{request_put{key value}}
    expect([...bytes]).toEqual([0x0a, 8, 0x10, 1, 0x1a, 2, 0x2f, 0x6b, 0x28, 0, 0x12, 9, 0x12, 7, 0x0a, 2, 0x2f, 0x6b, 0x12, 1, 0x76]);
  });

  it('encodes a range with only the fields set', () => {
    expect([...encodeRange({ key: Buffer.from('a'), rangeEnd: Buffer.from('b'), limit: 2, countOnly: true }).finish()]).toEqual([0x0a, 1, 0x61, 0x12, 1, 0x62, 0x18, 2, 0x48, 1]);
  });

  it('decodes range and txn responses, including a failed txn carrying the current key', () => {
    const header = new ProtoWriter().uint(1, 99).uint(3, 2 ** 33);
    const kv = new ProtoWriter().bytes(1, Buffer.from('/k')).uint(2, 5).uint(3, 7).uint(4, 2).bytes(5, Buffer.from('{"a":1}'));
    const range = new ProtoWriter().message(1, header).message(2, kv).bool(3, true).uint(4, 10);
    expect(decodeRange(new ProtoReader(range.finish()))).toEqual({
      revision: 2 ** 33,
      kvs: [{ key: Buffer.from('/k'), createRevision: 5, modRevision: 7, value: Buffer.from('{"a":1}') }],
      more: true,
      count: 10,
    });
    const txn = new ProtoWriter().message(1, header).message(3, new ProtoWriter().message(1, range)).finish();
    const decoded = decodeTxn(new ProtoReader(txn));
    expect(decoded.succeeded).toBe(false);
    expect(decoded.responses[0]!.kvs[0]!.modRevision).toBe(7);
    const deleted = new ProtoWriter().message(3, new ProtoWriter().uint(2, 1).message(3, kv));
    const ok = decodeTxn(new ProtoReader(new ProtoWriter().message(1, header).bool(2, true).message(3, deleted).finish()));
    expect(ok).toMatchObject({ succeeded: true, responses: [{ kvs: [{ modRevision: 7 }] }] });
  });
});
