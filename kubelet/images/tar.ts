/**
 * A small ustar (POSIX tar) writer: enough to build image layers and OCI image archives with our
 * own code (directories, regular files, symbolic links; deterministic: fixed owners and times).
 */

export type TarEntry =
  | { readonly type: 'dir'; readonly path: string; readonly mode?: number }
  | { readonly type: 'file'; readonly path: string; readonly data: Buffer; readonly mode?: number }
  | { readonly type: 'symlink'; readonly path: string; readonly target: string };

export interface TarOptions {
  /** Modification time of every entry, in seconds since the epoch. Default 0 (reproducible archives). */
  readonly mtime?: number;
}

const block = 512;

/** The archive holding these entries, in this order, ending with the two zero blocks of a tar file. */
export function tarArchive(entries: readonly TarEntry[], options: TarOptions = {}): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.type === 'file' ? entry.data : Buffer.alloc(0);
    parts.push(header(entry, data.length, options.mtime ?? 0));
    if (data.length > 0) {
      parts.push(data);
      const pad = (block - (data.length % block)) % block;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(2 * block));
  return Buffer.concat(parts);
}

function header(entry: TarEntry, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(block);
  let path = entry.path.replace(/^\/+/, '');
  if (entry.type === 'dir' && !path.endsWith('/')) path += '/';
  const [prefix, name] = splitPath(path);
  const mode = entry.type === 'symlink' ? 0o777 : (entry.mode ?? (entry.type === 'dir' ? 0o755 : 0o644));
  writeString(h, 0, 100, name);
  writeOctal(h, 100, 8, mode);
  writeOctal(h, 108, 8, 0); // uid
  writeOctal(h, 116, 8, 0); // gid
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, mtime);
  h.fill(0x20, 148, 156); // the checksum field counts as spaces while summing
  h.write(entry.type === 'dir' ? '5' : entry.type === 'symlink' ? '2' : '0', 156, 'latin1');
  if (entry.type === 'symlink') {
    if (Buffer.byteLength(entry.target) > 100) throw new Error(`tar: link target too long: ${entry.target}`);
    writeString(h, 157, 100, entry.target);
  }
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  writeString(h, 265, 32, 'root');
  writeString(h, 297, 32, 'root');
  writeString(h, 345, 155, prefix);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}

/** ustar keeps names of up to 100 bytes, or 255 split at a slash into a prefix (155) and a name (100). */
function splitPath(path: string): [string, string] {
  if (Buffer.byteLength(path) <= 100) return ['', path];
  for (let i = path.lastIndexOf('/', path.length - 2); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return [prefix, name];
  }
  throw new Error(`tar: path too long: ${path}`);
}

function writeString(h: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new Error(`tar: field too long: ${value}`);
  bytes.copy(h, offset);
}

function writeOctal(h: Buffer, offset: number, length: number, value: number): void {
  const text = value.toString(8).padStart(length - 1, '0');
  if (text.length > length - 1) throw new Error(`tar: number too large for its field: ${value}`);
  h.write(text + '\0', offset, 'latin1');
}

/** The entries of an archive this module wrote (for tests and for reading OCI layouts back). */
export function readTar(archive: Buffer): { path: string; type: 'dir' | 'file' | 'symlink' | 'other'; data: Buffer; target: string; mode: number }[] {
  const out: { path: string; type: 'dir' | 'file' | 'symlink' | 'other'; data: Buffer; target: string; mode: number }[] = [];
  let offset = 0;
  while (offset + block <= archive.length) {
    const h = archive.subarray(offset, offset + block);
    if (h.every((b) => b === 0)) break;
    const str = (start: number, len: number) => h.subarray(start, start + len).toString('utf8').replace(/\0.*$/s, '');
    const num = (start: number, len: number) => parseInt(str(start, len).trim() || '0', 8);
    const prefix = str(345, 155);
    const name = str(0, 100);
    const size = num(124, 12);
    const flag = str(156, 1);
    const type = flag === '5' ? 'dir' : flag === '2' ? 'symlink' : flag === '0' || flag === '' ? 'file' : 'other';
    const data = archive.subarray(offset + block, offset + block + size);
    out.push({ path: prefix ? `${prefix}/${name}` : name, type, data: Buffer.from(data), target: str(157, 100), mode: num(100, 8) });
    offset += block + Math.ceil(size / block) * block;
  }
  return out;
}
