import { decodeRange, decodeTxn, decodeWatchResponse, encodeRange, encodeTxn, encodeWatchCreate } from './etcdMessages';
import { ProtoWriter } from './protoWriter';

describe('ProtoWriter', () => {
  it('writes varints beyond 32 bits, bytes and nested messages', () => {
    const nested = new ProtoWriter().uint(1, 2 ** 40 + 3).bytes(2, Buffer.from('hi'));
    const out = new ProtoWriter().uint(7, 300).message(3, nested).bool(9, true).finish();
    // 7:varint 300 | 3:{1:varint 2^40+3 | 2:"hi"} | 9:varint 1
    expect([...out]).toEqual([0x38, 0xac, 0x02, 0x1a, 11, 0x08, 0x83, 0x80, 0x80, 0x80, 0x80, 0x20, 0x12, 2, 0x68, 0x69, 0x48, 1]);
  });

  it('omits proto3 defaults except where presence is forced', () => {
    expect(new ProtoWriter().uint(1, 0).bool(2, false).bytes(3, Buffer.alloc(0)).length).toBe(0);
    expect([...new ProtoWriter().forceUint(5, 0).finish()]).toEqual([5 * 8, 0]);
  });

  it('leaves the requested prefix zeroed for the frame header', () => {
    expect([...new ProtoWriter().uint(1, 1).finish(5)]).toEqual([0, 0, 0, 0, 0, 8, 1]);
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

  const header = new ProtoWriter().uint(1, 99).uint(3, 2 ** 33);
  const kv = new ProtoWriter().bytes(1, Buffer.from('/k')).uint(2, 5).uint(3, 7).uint(4, 2).bytes(5, Buffer.from('{"a":1}')).uint(6, 0);
  const range = new ProtoWriter().message(1, header).message(2, kv).bool(3, true).uint(4, 10);

  it('decodes a range response, skipping fields it does not know', () => {
    const withUnknown = new ProtoWriter().message(1, header).message(2, kv).bool(3, true).uint(4, 10).bytes(15, Buffer.from('future'));
    for (const w of [range, withUnknown]) {
      expect(decodeRange(w.finish())).toEqual({
        revision: 2 ** 33,
        kvs: [{ key: Buffer.from('/k'), createRevision: 5, modRevision: 7, value: Buffer.from('{"a":1}') }],
        more: true,
        count: 10,
      });
    }
  });

  it('decodes a failed txn carrying the current key, and a delete carrying the previous one', () => {
    const failed = decodeTxn(new ProtoWriter().message(1, header).message(3, new ProtoWriter().message(1, range)).finish());
    expect(failed.succeeded).toBe(false);
    expect(failed.responses[0]!.kvs[0]!.modRevision).toBe(7);
    const deleted = new ProtoWriter().message(3, new ProtoWriter().uint(2, 1).message(3, kv));
    const ok = decodeTxn(new ProtoWriter().message(1, header).bool(2, true).message(3, deleted).finish());
    expect(ok).toMatchObject({ revision: 2 ** 33, succeeded: true, responses: [{ kvs: [{ modRevision: 7 }] }] });
    expect(ok.responses[0]!.kvs[0]!.value.toString()).toBe('{"a":1}');
  });

  it('refuses a truncated response instead of reading past it', () => {
    const bytes = range.finish();
    expect(() => decodeRange(bytes.subarray(0, bytes.length - 3))).toThrow(/proto:/);
  });

  it('encodes a watch creation and decodes its responses, previous values of deletes only', () => {
    const bytes = encodeWatchCreate({ key: Buffer.from('/a'), rangeEnd: Buffer.from('/b'), startRevision: 7, progressNotify: true, prevKv: true }).finish();
    // create_request{key(1) range_end(2) start_revision(3)=7 progress_notify(4) prev_kv(6)}
    expect([...bytes]).toEqual([0x0a, 14, 0x0a, 2, 0x2f, 0x61, 0x12, 2, 0x2f, 0x62, 0x18, 7, 0x20, 1, 0x30, 1]);

    const kv = (key: string, mod: number, value: string) => new ProtoWriter().bytes(1, Buffer.from(key)).uint(2, 5).uint(3, mod).bytes(5, Buffer.from(value));
    const put = new ProtoWriter().message(2, kv('/a/x', 9, 'new')).message(3, kv('/a/x', 8, 'old'));
    const del = new ProtoWriter().uint(1, 1).message(2, kv('/a/y', 10, '')).message(3, kv('/a/y', 6, 'gone'));
    const res = new ProtoWriter().message(1, new ProtoWriter().uint(3, 10)).message(11, put).message(11, del).uint(99, 1);
    const decoded = decodeWatchResponse(res.finish());
    expect(decoded).toMatchObject({ revision: 10, created: false, canceled: false, compactRevision: 0 });
    expect(decoded.events.map((e) => [e.type, e.kv.key.toString(), e.kv.modRevision, e.prevKv?.value.toString()])).toEqual([
      ['PUT', '/a/x', 9, undefined],
      ['DELETE', '/a/y', 10, 'gone'],
    ]);
    const canceled = decodeWatchResponse(new ProtoWriter().uint(4, 1).uint(5, 3).bytes(6, Buffer.from('compacted')).finish());
    expect(canceled).toMatchObject({ canceled: true, compactRevision: 3, cancelReason: 'compacted', events: [] });
  });
});
