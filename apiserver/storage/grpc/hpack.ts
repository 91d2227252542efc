/**
 * HPACK (RFC 7541) for an HTTP/2 client of etcd: a full decoder for the header blocks etcd sends
 * (static and dynamic table, Huffman strings), and an encoder of request header blocks that uses
 * no dynamic table, so encoding keeps no state and a block can be built once and reused.
 *
 * Invariant: one HpackDecoder per connection, fed every header block of that connection in the
 * order received; its dynamic table then mirrors the server encoder's.
 */
import { huffmanDecode } from './huffman';

export class HpackError extends Error {}

/** RFC 7541 appendix A; index 1 is staticTable[0]. */
// prettier-ignore
const staticTable: readonly (readonly [string, string])[] = [
  [':authority', ''], [':method', 'GET'], [':method', 'POST'], [':path', '/'], [':path', '/index.html'],
  [':scheme', 'http'], [':scheme', 'https'], [':status', '200'], [':status', '204'], [':status', '206'],
  [':status', '304'], [':status', '400'], [':status', '404'], [':status', '500'], ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'], ['accept-language', ''], ['accept-ranges', ''], ['accept', ''],
  ['access-control-allow-origin', ''], ['age', ''], ['allow', ''], ['authorization', ''], ['cache-control', ''],
  ['content-disposition', ''], ['content-encoding', ''], ['content-language', ''], ['content-length', ''],
  ['content-location', ''], ['content-range', ''], ['content-type', ''], ['cookie', ''], ['date', ''], ['etag', ''],
  ['expect', ''], ['expires', ''], ['from', ''], ['host', ''], ['if-match', ''], ['if-modified-since', ''],
  ['if-none-match', ''], ['if-range', ''], ['if-unmodified-since', ''], ['last-modified', ''], ['link', ''],
  ['location', ''], ['max-forwards', ''], ['proxy-authenticate', ''], ['proxy-authorization', ''], ['range', ''],
  ['referer', ''], ['refresh', ''], ['retry-after', ''], ['server', ''], ['set-cookie', ''],
  ['strict-transport-security', ''], ['transfer-encoding', ''], ['user-agent', ''], ['vary', ''], ['via', ''],
  ['www-authenticate', ''],
];

/** Header fields of one block, names lower case as on the wire; a repeated name keeps its last value. */
export type HeaderFields = Map<string, string>;

/** The default (and the most we accept) dynamic table size: SETTINGS_HEADER_TABLE_SIZE, which we leave at 4096. */
export const headerTableSize = 4096;

export class HpackDecoder {
  /** Newest first: dynamic index 62 is entries[0]. */
  private entries: [string, string][] = [];
  private size = 0;
  private maxSize = headerTableSize;

  decode(block: Uint8Array): HeaderFields {
    const fields: HeaderFields = new Map();
    const r = { bytes: block, at: 0 };
    while (r.at < block.length) {
      const b = block[r.at]!;
      if (b & 0x80) {
        const [name, value] = this.entry(readInt(r, 7));
        fields.set(name, value);
      } else if (b & 0x40) {
        const [name, value] = this.literal(r, 6);
        fields.set(name, value);
        this.add(name, value);
      } else if (b & 0x20) {
        const size = readInt(r, 5);
        if (size > headerTableSize) throw new HpackError(`dynamic table size ${size} above the ${headerTableSize} allowed`);
        this.maxSize = size;
        this.evict(0);
      } else {
        // Literal without indexing (0000) or never indexed (0001): both have a 4-bit name index.
        const [name, value] = this.literal(r, 4);
        fields.set(name, value);
      }
    }
    return fields;
  }

  private literal(r: Reader, prefixBits: number): [string, string] {
    const index = readInt(r, prefixBits);
    const name = index === 0 ? readString(r) : this.entry(index)[0];
    return [name, readString(r)];
  }

  private entry(index: number): readonly [string, string] {
    if (index >= 1 && index <= staticTable.length) return staticTable[index - 1]!;
    const e = this.entries[index - staticTable.length - 1];
    if (!e) throw new HpackError(`header table index ${index} out of range`);
    return e;
  }

  private add(name: string, value: string): void {
    const size = entrySize(name, value);
    this.evict(size);
    // An entry larger than the table empties it and is not added (RFC 7541 section 4.4).
    if (size <= this.maxSize) {
      this.entries.unshift([name, value]);
      this.size += size;
    }
  }

  /** Evicts the oldest entries until `room` more bytes fit. */
  private evict(room: number): void {
    while (this.entries.length > 0 && this.size + room > this.maxSize) {
      const [name, value] = this.entries.pop()!;
      this.size -= entrySize(name, value);
    }
  }
}

/** RFC 7541 section 4.1: the octet lengths plus 32. */
function entrySize(name: string, value: string): number {
  return Buffer.byteLength(name) + Buffer.byteLength(value) + 32;
}

interface Reader {
  readonly bytes: Uint8Array;
  at: number;
}

function readInt(r: Reader, prefixBits: number): number {
  const max = (1 << prefixBits) - 1;
  if (r.at >= r.bytes.length) throw new HpackError('truncated header block');
  let value = r.bytes[r.at++]! & max;
  if (value < max) return value;
  for (let shift = 0; ; shift += 7) {
    if (r.at >= r.bytes.length) throw new HpackError('truncated integer');
    if (shift > 28) throw new HpackError('integer too large');
    const b = r.bytes[r.at++]!;
    value += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return value;
  }
}

function readString(r: Reader): string {
  if (r.at >= r.bytes.length) throw new HpackError('truncated header block');
  const huffman = (r.bytes[r.at]! & 0x80) !== 0;
  const length = readInt(r, 7);
  if (r.at + length > r.bytes.length) throw new HpackError('truncated string');
  const raw = r.bytes.subarray(r.at, r.at + length);
  r.at += length;
  return (huffman ? huffmanDecode(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)).toString('latin1');
}

// ---- encoding ---------------------------------------------------------------------------------

function writeInt(out: number[], firstByte: number, prefixBits: number, value: number): void {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out.push(firstByte | value);
    return;
  }
  out.push(firstByte | max);
  for (value -= max; value >= 0x80; value = Math.floor(value / 0x80)) out.push((value % 0x80) | 0x80);
  out.push(value);
}

function writeString(out: number[], s: string): void {
  const bytes = Buffer.from(s, 'latin1');
  writeInt(out, 0, 7, bytes.length);
  for (const b of bytes) out.push(b);
}

/**
 * A header block of the given fields, in order: a field equal to a static entry is indexed,
 * others are literals without indexing (by static name index when there is one). Names must be
 * lower case.
 */
export function encodeHeaders(fields: readonly (readonly [string, string])[]): Buffer {
  const out: number[] = [];
  for (const [name, value] of fields) {
    const exact = staticTable.findIndex(([n, v]) => n === name && v === value);
    if (exact >= 0) {
      writeInt(out, 0x80, 7, exact + 1);
      continue;
    }
    const byName = staticTable.findIndex(([n]) => n === name);
    writeInt(out, 0x00, 4, byName + 1);
    if (byName < 0) writeString(out, name);
    writeString(out, value);
  }
  return Buffer.from(out);
}
