/**
 * A small OCI image made from Debian's busybox-static: /bin/busybox with a symlink per applet (sh,
 * sleep, httpd, nc, wget, cat, echo, env, ls...), root and nobody users, /tmp, /var/www. Images
 * cannot be pulled on these machines; tests and local clusters import this one instead.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { buildOciImage, type OciImage } from './ociImage';
import type { TarEntry } from './tar';

export const defaultBusyboxPath = '/bin/busybox';
export const busyboxImageRef = 'marina.local/busybox:latest';

export interface BusyboxImageOptions {
  /** Default busyboxImageRef. */
  readonly ref?: string;
  /** A statically linked busybox. Default /bin/busybox (Debian's busybox-static). */
  readonly busybox?: string;
}

export async function busyboxImage(options: BusyboxImageOptions = {}): Promise<OciImage> {
  const path = options.busybox ?? defaultBusyboxPath;
  const [binary, applets] = await Promise.all([readFile(path), busyboxApplets(path)]);
  return buildOciImage({
    ref: options.ref ?? busyboxImageRef,
    layers: [busyboxLayer(binary, applets)],
    config: { env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], cmd: ['sh'] },
  });
}

/** The applets a busybox binary provides (`busybox --list`). */
export async function busyboxApplets(path: string = defaultBusyboxPath): Promise<string[]> {
  const { stdout } = await promisify(execFile)(path, ['--list'], { encoding: 'utf8' });
  return stdout.split('\n').map((s) => s.trim()).filter((s) => /^[A-Za-z0-9_.[-]+$/.test(s) && s !== 'busybox');
}

export function busyboxLayer(binary: Buffer, applets: readonly string[]): TarEntry[] {
  const text = (path: string, content: string, mode = 0o644): TarEntry => ({ type: 'file', path, data: Buffer.from(content), mode });
  const dirs = ['bin', 'dev', 'etc', 'home', 'proc', 'root', 'run', 'sys', 'usr', 'usr/bin', 'var', 'var/www'];
  const entries: TarEntry[] = dirs.map((path): TarEntry => ({ type: 'dir', path, mode: path === 'root' ? 0o700 : 0o755 }));
  entries.push({ type: 'dir', path: 'tmp', mode: 0o1777 });
  entries.push({ type: 'file', path: 'bin/busybox', data: binary, mode: 0o755 });
  for (const applet of [...new Set(applets)].sort()) entries.push({ type: 'symlink', path: `bin/${applet}`, target: 'busybox' });
  entries.push({ type: 'symlink', path: 'usr/bin/env', target: '/bin/busybox' });
  entries.push(text('etc/passwd', 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n'));
  entries.push(text('etc/group', 'root:x:0:\nnogroup:x:65534:\n'));
  entries.push(text('var/www/index.html', 'hello from marina busybox\n'));
  return entries;
}
