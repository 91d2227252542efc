/**
 * Loading an image archive (OCI image layout or `docker save` tar) into a containerd namespace
 * with `ctr images import`, for machines that cannot reach a registry.
 */
import { stat } from 'node:fs/promises';
import { Ctr } from '../runtime/ctr/ctr';
import { parseImportOutput } from '../runtime/ctr/parse';

export interface ImportArchiveOptions {
  /** containerd's socket. */
  readonly address: string;
  /** The containerd namespace (the node agent's). */
  readonly namespace: string;
  /** The archive. */
  readonly file: string;
  /** Default 5 minutes. */
  readonly timeoutMs?: number;
}

/** Imports (and unpacks) the archive's images; their names and digests. */
export async function importImageArchive(options: ImportArchiveOptions): Promise<{ ref: string; digest: string }[]> {
  const info = await stat(options.file).catch(() => undefined);
  if (!info) throw new Error(`${options.file}: no such file`);
  if (!info.isFile()) throw new Error(`${options.file}: not a file`);
  if (!(await stat(options.address).catch(() => undefined))?.isSocket()) throw new Error(`no containerd at ${options.address} (no such socket)`);
  const ctr = new Ctr({ address: options.address, namespace: options.namespace, timeoutMs: options.timeoutMs ?? 300_000 });
  const { stdout } = await ctr.run(['images', 'import', options.file]);
  const images = parseImportOutput(stdout);
  if (images.length === 0) throw new Error(`${options.file}: the archive holds no named image`);
  return images;
}
