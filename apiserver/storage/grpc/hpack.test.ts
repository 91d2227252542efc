import { codeOf, huffmanDecode, HuffmanError } from './huffman';
import { encodeHeaders, HpackDecoder, HpackError } from './hpack';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('huffman', () => {
  it('is a complete prefix code (Kraft sum 1) matching RFC 7541 appendix B samples', () => {
    let kraft = 0;
    for (let s = 0; s <= 256; s++) kraft += 2 ** -codeOf(s)[1];
    expect(kraft).toBe(1);
    expect(codeOf(48)).toEqual([0x0, 5]); // '0'
    expect(codeOf(32)).toEqual([0x14, 6]); // ' '
    expect(codeOf(0)).toEqual([0x1ff8, 13]);
    expect(codeOf(255)).toEqual([0x3ffffee, 26]);
    expect(codeOf(256)).toEqual([0x3fffffff, 30]); // EOS
  });

  it('decodes, and refuses bad padding and EOS', () => {
    expect(huffmanDecode(hex('f1e3 c2e5 f23a 6ba0 ab90 f4ff')).toString()).toBe('www.example.com');
    expect(huffmanDecode(hex('a8eb 1064 9cbf')).toString()).toBe('no-cache');
    expect(() => huffmanDecode(hex('f1e3 c2e5 f23a 6ba0 ab90 f4fe'))).toThrow(HuffmanError); // padding not all ones
    expect(() => huffmanDecode(hex('ffff ffff'))).toThrow(HuffmanError); // EOS
  });
});

describe('HpackDecoder', () => {
  it('decodes RFC 7541 C.4 (Huffman) across blocks, with the dynamic table', () => {
    const d = new HpackDecoder();
    expect([...d.decode(hex('8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff'))]).toEqual([
      [':method', 'GET'],
      [':scheme', 'http'],
      [':path', '/'],
      [':authority', 'www.example.com'],
    ]);
    // The second request refers to :authority by its dynamic index (62) and adds cache-control.
    expect([...d.decode(hex('8286 84be 5886 a8eb 1064 9cbf'))]).toEqual([
      [':method', 'GET'],
      [':scheme', 'http'],
      [':path', '/'],
      [':authority', 'www.example.com'],
      ['cache-control', 'no-cache'],
    ]);
    expect(d.decode(hex('be')).get('cache-control')).toBe('no-cache'); // newest entry is index 62
  });

  it('evicts on a table size update, and refuses indexes out of range and truncated blocks', () => {
    const d = new HpackDecoder();
    d.decode(hex('418c f1e3 c2e5 f23a 6ba0 ab90 f4ff')); // :authority, incremental indexing
    expect(d.decode(hex('be')).get(':authority')).toBe('www.example.com');
    d.decode(hex('20')); // size 0: the table empties
    expect(() => d.decode(hex('be'))).toThrow(HpackError);
    expect(() => d.decode(hex('3fe2 1f'))).toThrow(HpackError); // size update to 4097
    expect(() => d.decode(hex('418c f1e3'))).toThrow(HpackError);
  });

  it('reads what encodeHeaders writes (indexed static fields, literals by name index and new names)', () => {
    const fields = [
      [':method', 'POST'],
      [':path', '/etcdserverpb.KV/Range'],
      ['content-type', 'application/grpc'],
      ['te', 'trailers'],
      ['grpc-timeout', '2000m'],
    ] as const;
    expect([...new HpackDecoder().decode(encodeHeaders(fields))]).toEqual(fields);
    expect(encodeHeaders([[':method', 'POST']])).toEqual(hex('83'));
  });
});
