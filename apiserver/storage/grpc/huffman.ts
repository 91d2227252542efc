/**
 * HPACK's static Huffman code (RFC 7541, section 5.2 and appendix B), decode side: header strings
 * from etcd arrive Huffman-coded whenever that is shorter.
 *
 * The code is canonical: within one length, codes are consecutive in symbol order, and each
 * length's first code follows the previous length's last. So the code lengths alone define it,
 * and decoding needs per length only the first code, the count and where its symbols start.
 */

/** Code length in bits of each symbol 0..255 and of EOS (256), from RFC 7541 appendix B. */
// prettier-ignore
const codeLengths: readonly number[] = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, // 0-15
  28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28, // 16-31
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, //          ' ' to '/'
  5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10, //               '0' to '?'
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, //                 '@' to 'O'
  7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, //              'P' to '_'
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, //                 '`' to 'o'
  6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, //             'p' to 127
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, // 128-143
  24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, // 144-159
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, // 160-175
  21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, // 176-191
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, // 192-207
  19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, // 208-223
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, // 224-239
  26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, // 240-255
  30, //                                                              EOS
];

export const eos = 256;
const maxLength = 30;

/** Per length L: the first code of that length, how many symbols have it, and where they start in `symbols`. */
const firstCode = new Array<number>(maxLength + 1).fill(0);
const countOf = new Array<number>(maxLength + 1).fill(0);
const offsetOf = new Array<number>(maxLength + 1).fill(0);
/** Symbols ordered by (length, symbol): the canonical order. */
const symbols: number[] = [];

for (const len of codeLengths) countOf[len]!++;
{
  let code = 0;
  for (let len = 1; len <= maxLength; len++) {
    firstCode[len] = code;
    offsetOf[len] = symbols.length;
    for (let s = 0; s < codeLengths.length; s++) if (codeLengths[s] === len) symbols.push(s);
    code = (code + countOf[len]!) * 2;
  }
}

/** The code of a symbol, for tests and the encoder: [code, length in bits]. */
export function codeOf(symbol: number): [number, number] {
  const len = codeLengths[symbol]!;
  let index = offsetOf[len]!;
  while (symbols[index] !== symbol) index++;
  return [firstCode[len]! + index - offsetOf[len]!, len];
}

export class HuffmanError extends Error {}

/**
 * Decodes a Huffman-coded string. Padding must be at most 7 bits, all ones (a prefix of EOS);
 * EOS itself must not appear (RFC 7541 section 5.2).
 */
export function huffmanDecode(bytes: Uint8Array): Buffer {
  const out: number[] = [];
  let code = 0;
  let len = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    for (let bit = 7; bit >= 0; bit--) {
      code = code * 2 + ((byte >> bit) & 1);
      len++;
      const index = code - firstCode[len]!;
      if (index >= 0 && index < countOf[len]!) {
        const symbol = symbols[offsetOf[len]! + index]!;
        if (symbol === eos) throw new HuffmanError('EOS inside a Huffman-coded string');
        out.push(symbol);
        code = 0;
        len = 0;
      } else if (len >= maxLength) {
        throw new HuffmanError('invalid Huffman code');
      }
    }
  }
  if (len > 7 || code !== 2 ** len - 1) throw new HuffmanError('invalid Huffman padding');
  return Buffer.from(out);
}
