/**
 * Reading manifests for `-f`: files, directories (their .yaml/.yml/.json files; with -R, every
 * subdirectory's too), `-` for stdin and http(s) URLs; multi-document YAML and JSON; a `kind: List`
 * (or any `*List` with items) counts as its items. Every object remembers where it came from, so
 * errors can name the file.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../api/kinds/kind';
import { CliError, type Io } from './io';

export interface ManifestObject {
  readonly object: KubeObject;
  /** The file as the user named it (`deploy.yaml`, `dir/a.yaml`), `STDIN` or the URL. */
  readonly source: string;
}

export interface ReadOptions {
  readonly recursive?: boolean;
}

const manifestExtensions = /\.(ya?ml|json)$/i;

/** Every object of every `-f` argument, in order. Throws a CliError naming the file on a bad document. */
export async function readManifests(io: Io, filenames: readonly string[], options: ReadOptions = {}): Promise<ManifestObject[]> {
  const out: ManifestObject[] = [];
  for (const name of filenames) {
    if (name === '-') {
      out.push(...parseManifests(await readStdin(io), 'STDIN'));
    } else if (/^https?:\/\//.test(name)) {
      const res = await fetch(name).catch((err: unknown) => {
        throw new CliError(`${name}: ${(err as Error).message}`);
      });
      if (!res.ok) throw new CliError(`${name}: HTTP ${res.status}`);
      out.push(...parseManifests(await res.text(), name));
    } else {
      for (const file of await expand(io, name, options.recursive ?? false, true)) {
        const text = await readFile(resolve(io.cwd, file), 'utf8').catch((err: unknown) => {
          throw new CliError(`${file}: ${(err as Error).message}`);
        });
        out.push(...parseManifests(text, file));
      }
    }
  }
  return out;
}

async function expand(io: Io, name: string, recursive: boolean, top: boolean): Promise<string[]> {
  let info;
  try {
    info = await stat(resolve(io.cwd, name));
  } catch {
    throw new CliError(`the path "${name}" does not exist`);
  }
  if (!info.isDirectory()) return [name];
  const entries = (await readdir(resolve(io.cwd, name), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(name, entry.name);
    if (entry.isDirectory()) {
      if (recursive) files.push(...(await expand(io, path, recursive, false)));
    } else if (manifestExtensions.test(entry.name)) {
      files.push(path);
    }
  }
  if (top && !files.length) throw new CliError(`${name}: no manifests (.yaml, .yml, .json) found${recursive ? '' : ' (use -R for subdirectories)'}`);
  return files;
}

export async function readStdin(io: Io): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

/** The objects of one file's text (YAML, multi-document, or JSON). */
export function parseManifests(text: string, source: string): ManifestObject[] {
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const values: unknown[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const error = doc.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line;
      throw new CliError(`${source}: invalid YAML${line ? ` at line ${line}` : ''}: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) values.push(value);
  }
  const out: ManifestObject[] = [];
  const add = (value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError(`${source}: a document is not an object (a mapping with apiVersion and kind)`);
    const obj = value as KubeObject;
    if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj['items'])) {
      for (const item of obj['items'] as unknown[]) add(item);
      return;
    }
    if (typeof obj.apiVersion !== 'string' || !obj.apiVersion) throw new CliError(`${source}: ${describeDoc(obj)}: apiVersion not set`);
    if (typeof obj.kind !== 'string' || !obj.kind) throw new CliError(`${source}: ${describeDoc(obj)}: kind not set`);
    out.push({ object: obj, source });
  };
  for (const v of values) add(v);
  return out;
}

function describeDoc(obj: KubeObject): string {
  const name = obj.metadata?.name;
  return `${typeof obj.kind === 'string' && obj.kind ? obj.kind : 'object'}${name ? ` "${name}"` : ''}`;
}
