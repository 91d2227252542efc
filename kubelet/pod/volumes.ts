/**
 * A pod's volumes as host directories under the agent's root dir (the kubelet's volume manager,
 * for the volume types that need no storage system): emptyDir is a fresh directory; configMap,
 * secret, downwardAPI and projected volumes are directories of files written from the API objects
 * (rewritten whenever a container starts, so they follow updates); hostPath is the host's own
 * path (created for DirectoryOrCreate / FileOrCreate). Containers get them as bind mounts.
 */
import { chmod, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import type { Container } from '../../api/kinds/core/container';
import type { Pod } from '../../api/kinds/core/pod';
import type { Volume } from '../../api/kinds/core/volume';
import type { DownwardAPIVolumeFile, KeyToPath } from '../../api/kinds/core/volumeProjections';
import type { Mount } from '../runtime/interface';
import { containerResourceValue, podFieldValue, type DownwardContext, type ObjectSource } from './env';

/** A volume could not be set up (the pod stays ContainerCreating, as with FailedMount). */
export class VolumeError extends Error {
  override readonly name = 'VolumeError';
}

/** The directory of a pod's volume: <podDir>/volumes/<plugin>/<name>. */
export function volumeDir(podDir: string, volume: Volume): string {
  const plugin = volume.emptyDir ? 'kubernetes.io~empty-dir' : volume.configMap ? 'kubernetes.io~configmap' : volume.secret ? 'kubernetes.io~secret' : volume.downwardAPI ? 'kubernetes.io~downward-api' : 'kubernetes.io~projected';
  return join(podDir, 'volumes', plugin, volume.name);
}

/**
 * Sets up every volume of the pod; returns each volume's host path by name. With `write` false
 * (hollow nodes) nothing touches the disk: only the paths are computed.
 */
export async function setUpVolumes(pod: Pod, podDir: string, objects: ObjectSource, ctx: DownwardContext, write = true): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  for (const volume of pod.spec?.volumes ?? []) {
    if (volume.hostPath) {
      const path = volume.hostPath.path;
      if (write) await setUpHostPath(path, volume.hostPath.type ?? '');
      paths.set(volume.name, path);
      continue;
    }
    const dir = volumeDir(podDir, volume);
    paths.set(volume.name, dir);
    if (!write) continue;
    if (volume.emptyDir) {
      await mkdir(dir, { recursive: true, mode: 0o777 });
      await chmod(dir, 0o777);
      continue;
    }
    const files = volumeFiles(pod, volume, objects, ctx);
    if (!files) continue; // a type this agent does not set up: an empty directory stands in
    await mkdir(dir, { recursive: true });
    for (const f of files) {
      const target = join(dir, f.path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.content, { mode: f.mode });
      await chmod(target, f.mode);
    }
  }
  return paths;
}

export async function tearDownVolumes(podDir: string): Promise<void> {
  await rm(join(podDir, 'volumes'), { recursive: true, force: true });
}

interface VolumeFile {
  readonly path: string;
  readonly content: string | Buffer;
  readonly mode: number;
}

/** The files of a configMap, secret, downwardAPI or projected volume (undefined for other types). */
export function volumeFiles(pod: Pod, volume: Volume, objects: ObjectSource, ctx: DownwardContext): VolumeFile[] | undefined {
  const namespace = pod.metadata?.namespace ?? 'default';
  const fromData = (kind: 'configmap' | 'secret', name: string, data: Record<string, string | Buffer> | undefined, items: readonly KeyToPath[] | undefined, optional: boolean | undefined, mode: number): VolumeFile[] => {
    if (!data) {
      if (optional) return [];
      throw new VolumeError(`MountVolume.SetUp failed for volume "${volume.name}": ${kind} "${name}" not found`);
    }
    if (!items || items.length === 0) return Object.entries(data).map(([k, v]) => ({ path: safePath(k), content: v, mode }));
    const out: VolumeFile[] = [];
    for (const item of items) {
      const v = data[item.key];
      if (v === undefined) {
        if (optional) continue;
        throw new VolumeError(`MountVolume.SetUp failed for volume "${volume.name}": configmap references non-existent config key: ${item.key}`);
      }
      out.push({ path: safePath(item.path), content: v, mode: item.mode ?? mode });
    }
    return out;
  };
  const configMap = (name: string, items: readonly KeyToPath[] | undefined, optional: boolean | undefined, mode: number) => {
    const cm = objects.configMap(namespace, name);
    const data = cm ? { ...cm.data, ...Object.fromEntries(Object.entries(cm.binaryData ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])) } : undefined;
    return fromData('configmap', name, data, items, optional, mode);
  };
  const secret = (name: string, items: readonly KeyToPath[] | undefined, optional: boolean | undefined, mode: number) => {
    const s = objects.secret(namespace, name);
    const data = s ? Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])) : undefined;
    return fromData('secret', name, data, items, optional, mode);
  };
  const downward = (items: readonly DownwardAPIVolumeFile[] | undefined, mode: number): VolumeFile[] =>
    (items ?? []).map((item) => ({
      path: safePath(item.path),
      content: item.fieldRef ? podFieldValue(item.fieldRef, pod, ctx) : item.resourceFieldRef ? containerResourceValue(item.resourceFieldRef, pod, undefined, ctx) : '',
      mode: item.mode ?? mode,
    }));

  if (volume.configMap) return configMap(volume.configMap.name ?? '', volume.configMap.items, volume.configMap.optional, volume.configMap.defaultMode ?? 0o644);
  if (volume.secret) return secret(volume.secret.secretName ?? '', volume.secret.items, volume.secret.optional, volume.secret.defaultMode ?? 0o644);
  if (volume.downwardAPI) return downward(volume.downwardAPI.items, volume.downwardAPI.defaultMode ?? 0o644);
  if (volume.projected) {
    const mode = volume.projected.defaultMode ?? 0o644;
    const files: VolumeFile[] = [];
    for (const source of volume.projected.sources ?? []) {
      if (source.configMap) files.push(...configMap(source.configMap.name ?? '', source.configMap.items, source.configMap.optional, mode));
      if (source.secret) files.push(...secret(source.secret.name ?? '', source.secret.items, source.secret.optional, mode));
      if (source.downwardAPI) files.push(...downward(source.downwardAPI.items, mode));
      if (source.serviceAccountToken) files.push({ path: safePath(source.serviceAccountToken.path), content: '', mode });
    }
    return files;
  }
  return undefined;
}

/** A relative path that stays inside the volume. */
function safePath(path: string): string {
  const p = normalize(path);
  if (p.startsWith('/') || p === '..' || p.startsWith('../')) throw new VolumeError(`invalid volume file path ${JSON.stringify(path)}`);
  return p;
}

async function setUpHostPath(path: string, type: string): Promise<void> {
  if (type === 'DirectoryOrCreate') {
    await mkdir(path, { recursive: true, mode: 0o755 });
    return;
  }
  if (type === 'FileOrCreate') {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, '', { flag: 'a' });
    return;
  }
  if (type === '') return;
  const st = await stat(path).catch(() => undefined);
  const ok = !!st && ((type === 'Directory' && st.isDirectory()) || (type === 'File' && st.isFile()) || (type === 'Socket' && st.isSocket()) || (type === 'CharDevice' && st.isCharacterDevice()) || (type === 'BlockDevice' && st.isBlockDevice()));
  if (!ok) throw new VolumeError(`hostPath type check failed: ${path} is not a ${type}`);
}

/** A container's bind mounts: its volumeMounts resolved against the volumes' host paths. */
export function containerMounts(container: Container, volumePaths: ReadonlyMap<string, string>, envVars: ReadonlyMap<string, string>): Mount[] {
  const mounts: Mount[] = [];
  for (const vm of container.volumeMounts ?? []) {
    const base = volumePaths.get(vm.name);
    if (base === undefined) throw new VolumeError(`volume "${vm.name}" of container "${container.name}" is not defined in the pod`);
    const sub = vm.subPathExpr ? vm.subPathExpr.replace(/\$\(([^)]*)\)/g, (_m, n: string) => envVars.get(n) ?? '') : (vm.subPath ?? '');
    mounts.push({ hostPath: sub ? join(base, safePath(sub)) : base, containerPath: vm.mountPath, readOnly: !!vm.readOnly });
  }
  return mounts;
}

