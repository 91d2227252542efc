/**
 * Builds an OCI image as an OCI image layout in a tar archive (`oci-layout`, `index.json`,
 * `blobs/sha256/...`), the format `ctr image import` reads. Layers are uncompressed tars; the
 * index names the image with the annotations containerd (`io.containerd.image.name`) and other
 * tools (`org.opencontainers.image.ref.name`) read.
 */
import { createHash } from 'node:crypto';
import { tarArchive, type TarEntry } from './tar';

export interface ImageConfig {
  readonly env?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly cmd?: readonly string[];
  readonly workingDir?: string;
  readonly user?: string;
  readonly stopSignal?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface OciImageOptions {
  /** The image's full name, e.g. `marina.local/busybox:latest`. */
  readonly ref: string;
  /** Each layer's entries (applied in order). */
  readonly layers: readonly (readonly TarEntry[])[];
  readonly config: ImageConfig;
  /** OCI architecture name. Default: this machine's (amd64, arm64...). */
  readonly architecture?: string;
  /** The image's creation time. Default: the epoch (reproducible digests). */
  readonly created?: Date;
}

export interface OciImage {
  /** The archive to give `ctr image import`. */
  readonly archive: Buffer;
  /** The manifest's digest (what containerd lists as the image's digest). */
  readonly manifestDigest: string;
  /** The config's digest (the image ID). */
  readonly configDigest: string;
}

export const mediaTypes = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar',
} as const;

export function ociArchitecture(arch: string = process.arch): string {
  const names: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return names[arch] ?? arch;
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function buildOciImage(options: OciImageOptions): OciImage {
  const blobs = new Map<string, Buffer>();
  const add = (data: Buffer): { digest: string; size: number } => {
    const digest = sha256(data);
    blobs.set(digest, data);
    return { digest, size: data.length };
  };
  const layers = options.layers.map((entries) => add(tarArchive(entries)));
  const c = options.config;
  const config = {
    created: (options.created ?? new Date(0)).toISOString(),
    architecture: options.architecture ?? ociArchitecture(),
    os: 'linux',
    config: {
      ...(c.env ? { Env: [...c.env] } : {}),
      ...(c.entrypoint ? { Entrypoint: [...c.entrypoint] } : {}),
      ...(c.cmd ? { Cmd: [...c.cmd] } : {}),
      ...(c.workingDir ? { WorkingDir: c.workingDir } : {}),
      ...(c.user ? { User: c.user } : {}),
      ...(c.stopSignal ? { StopSignal: c.stopSignal } : {}),
      ...(c.labels ? { Labels: { ...c.labels } } : {}),
    },
    // Uncompressed layers: the diff ID is the layer's own digest.
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
    history: layers.map(() => ({ created: (options.created ?? new Date(0)).toISOString(), created_by: 'marina' })),
  };
  const configBlob = add(Buffer.from(JSON.stringify(config)));
  const manifest = {
    schemaVersion: 2,
    mediaType: mediaTypes.manifest,
    config: { mediaType: mediaTypes.config, ...configBlob },
    layers: layers.map((l) => ({ mediaType: mediaTypes.layer, ...l })),
  };
  const manifestBlob = add(Buffer.from(JSON.stringify(manifest)));
  const tag = options.ref.includes('@') ? '' : (/:([^/:]+)$/.exec(options.ref)?.[1] ?? 'latest');
  const index = {
    schemaVersion: 2,
    mediaType: mediaTypes.index,
    manifests: [
      {
        mediaType: mediaTypes.manifest,
        ...manifestBlob,
        platform: { architecture: config.architecture, os: 'linux' },
        annotations: { 'io.containerd.image.name': options.ref, ...(tag ? { 'org.opencontainers.image.ref.name': tag } : {}) },
      },
    ],
  };
  const entries: TarEntry[] = [
    { type: 'file', path: 'oci-layout', data: Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })) },
    { type: 'file', path: 'index.json', data: Buffer.from(JSON.stringify(index)) },
    { type: 'dir', path: 'blobs' },
    { type: 'dir', path: 'blobs/sha256' },
    ...[...blobs].map(([digest, data]): TarEntry => ({ type: 'file', path: `blobs/sha256/${digest.slice('sha256:'.length)}`, data })),
  ];
  return { archive: tarArchive(entries), manifestDigest: manifestBlob.digest, configDigest: configBlob.digest };
}
