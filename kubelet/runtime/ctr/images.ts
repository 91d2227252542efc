/**
 * Images in containerd, read through ctr: `ctr images ls` for names and digests, `ctr content get`
 * for the index, manifest and config blobs (immutable, so cached by digest). From them: the image
 * ID (config digest), its size, its run configuration and the chain ID of its unpacked snapshot.
 */
import { createHash } from 'node:crypto';
import type { Ctr } from './ctr';
import { parseImages } from './parse';

/** What the image's config says about running it. */
export interface ImageRunConfig {
  readonly env: readonly string[];
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly workingDir: string;
  readonly user: string;
  readonly stopSignal: string;
}

export interface ResolvedImage {
  /** The name containerd knows the image by. */
  readonly ref: string;
  /** The manifest's (or index's) digest. */
  readonly digest: string;
  /** The config's digest: the image ID. */
  readonly id: string;
  /** Config plus layers, in bytes (compressed sizes, as registries count them). */
  readonly size: number;
  readonly config: ImageRunConfig;
  /** The snapshot of the unpacked image: `sha256:...` chain ID of its layers. */
  readonly chainId: string;
}

/**
 * The fully qualified name of an image reference, as docker and containerd normalise it:
 * `busybox` → `docker.io/library/busybox:latest`, `me/app:1` → `docker.io/me/app:1`.
 */
export function normalizeImageRef(ref: string): string {
  let name = ref.trim();
  let suffix = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    suffix = name.slice(at);
    name = name.slice(0, at);
  }
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  const hasDomain = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasDomain) name = `docker.io/${name.includes('/') ? name : `library/${name}`}`;
  if (!suffix) {
    const lastPart = name.slice(name.lastIndexOf('/') + 1);
    if (!lastPart.includes(':')) name += ':latest';
  }
  return name + suffix;
}

/** The chain ID of a list of layer diff IDs (OCI image spec: identity of the stacked snapshot). */
export function chainId(diffIds: readonly string[]): string {
  let chain = '';
  for (const diffId of diffIds) {
    chain = chain === '' ? diffId : `sha256:${createHash('sha256').update(`${chain} ${diffId}`).digest('hex')}`;
  }
  return chain;
}

/** The OCI platform name of this machine. */
export function platformArchitecture(): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' } as Record<string, string>)[process.arch] ?? process.arch;
}

/** How long a listing that has the wanted image is trusted. */
const recentListMs = 1_000;

/** The image of this reference in a listing (by name as given or normalised, or by manifest digest). */
function pick(images: readonly { ref: string; digest: string }[], ref: string): { ref: string; digest: string } | undefined {
  for (const name of [ref, normalizeImageRef(ref)]) {
    const hit = images.find((i) => i.ref === name);
    if (hit) return hit;
  }
  const digest = /@(sha256:[0-9a-f]{64})$/.exec(ref)?.[1];
  return digest ? images.find((i) => i.digest === digest) : undefined;
}

export class ImageStore {
  private readonly blobs = new Map<string, unknown>();
  private recent: { at: number; images: { ref: string; digest: string }[] } | undefined;
  private listing: Promise<{ ref: string; digest: string }[]> | undefined;

  constructor(private readonly ctr: Ctr) {}

  /** Every image: name → digest of its manifest (or index). */
  async list(): Promise<{ ref: string; digest: string }[]> {
    const { stdout } = await this.ctr.run(['images', 'ls']);
    const images = parseImages(stdout).map((r) => ({ ref: r.ref, digest: r.digest }));
    this.recent = { at: Date.now(), images };
    return images;
  }

  /**
   * The image known by this reference (as given or normalised), or undefined. A listing up to a
   * second old answers when it has the image (containers of one pod start together); a miss always
   * asks containerd again, so an image imported a moment ago is found.
   */
  async find(ref: string): Promise<{ ref: string; digest: string } | undefined> {
    const recent = this.recent && Date.now() - this.recent.at < recentListMs ? this.recent.images : undefined;
    return (recent && pick(recent, ref)) ?? pick(await this.listShared(), ref);
  }

  /** One `ctr images ls` for concurrent callers. */
  private listShared(): Promise<{ ref: string; digest: string }[]> {
    this.listing ??= this.list().finally(() => (this.listing = undefined));
    return this.listing;
  }

  async resolve(image: { ref: string; digest: string }): Promise<ResolvedImage> {
    const manifest = await this.manifestOf(image.digest);
    const configDesc = descriptor(field(manifest, 'config'), 'manifest config');
    const layers = arrayField(manifest, 'layers').map((l) => descriptor(l, 'manifest layer'));
    const config = await this.blob(configDesc.digest);
    const rootfs = field(config, 'rootfs');
    const diffIds = arrayField(rootfs, 'diff_ids').filter((d): d is string => typeof d === 'string');
    const run = field(config, 'config');
    return {
      ref: image.ref,
      digest: image.digest,
      id: configDesc.digest,
      size: configDesc.size + layers.reduce((sum, l) => sum + l.size, 0),
      config: {
        env: stringArray(field(run, 'Env')),
        entrypoint: stringArray(field(run, 'Entrypoint')),
        cmd: stringArray(field(run, 'Cmd')),
        workingDir: stringField(run, 'WorkingDir'),
        user: stringField(run, 'User'),
        stopSignal: stringField(run, 'StopSignal'),
      },
      chainId: chainId(diffIds),
    };
  }

  /** The manifest for this machine's platform (following an index if the image has one). */
  private async manifestOf(digest: string): Promise<unknown> {
    const top = await this.blob(digest);
    const manifests = field(top, 'manifests');
    if (!Array.isArray(manifests)) return top;
    const arch = platformArchitecture();
    const pick =
      manifests.find((m) => {
        const p = field(m, 'platform');
        return stringField(p, 'os') === 'linux' && stringField(p, 'architecture') === arch;
      }) ?? (manifests.length === 1 ? manifests[0] : undefined);
    if (!pick) throw new Error(`image ${digest} has no manifest for linux/${arch}`);
    return this.manifestOf(descriptor(pick, 'index entry').digest);
  }

  private async blob(digest: string): Promise<unknown> {
    const cached = this.blobs.get(digest);
    if (cached !== undefined) return cached;
    const { stdout } = await this.ctr.run(['content', 'get', digest]);
    const parsed: unknown = JSON.parse(stdout);
    this.blobs.set(digest, parsed);
    return parsed;
  }
}

function field(value: unknown, name: string): unknown {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}
function arrayField(value: unknown, name: string): unknown[] {
  const v = field(value, name);
  return Array.isArray(v) ? v : [];
}
function stringField(value: unknown, name: string): string {
  const v = field(value, name);
  return typeof v === 'string' ? v : '';
}
function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
function descriptor(value: unknown, what: string): { digest: string; size: number } {
  const digest = field(value, 'digest');
  const size = field(value, 'size');
  if (typeof digest !== 'string') throw new Error(`malformed ${what}: no digest`);
  return { digest, size: typeof size === 'number' ? size : 0 };
}
