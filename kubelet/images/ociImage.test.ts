import { busyboxLayer } from './busybox';
import { buildOciImage, sha256 } from './ociImage';
import { readTar, tarArchive } from './tar';

test('tar archives round-trip directories, files, symlinks and long paths', () => {
  const long = `${'d'.repeat(120)}/${'f'.repeat(90)}`;
  const archive = tarArchive([
    { type: 'dir', path: 'bin' },
    { type: 'file', path: 'bin/x', data: Buffer.from('hello'), mode: 0o755 },
    { type: 'symlink', path: 'bin/y', target: 'x' },
    { type: 'file', path: long, data: Buffer.alloc(600, 1) },
  ]);
  expect(archive.length % 512).toBe(0);
  const entries = readTar(archive);
  expect(entries.map((e) => [e.path, e.type])).toEqual([['bin/', 'dir'], ['bin/x', 'file'], ['bin/y', 'symlink'], [long, 'file']]);
  expect(entries[1]!.data.toString()).toBe('hello');
  expect(entries[1]!.mode).toBe(0o755);
  expect(entries[2]!.target).toBe('x');
  expect(entries[3]!.data.length).toBe(600);
});

test('an OCI image archive holds its layout, index, manifest, config and layers by digest', () => {
  const image = buildOciImage({ ref: 'marina.local/t:1', layers: [busyboxLayer(Buffer.from('fake busybox'), ['sh', 'sleep'])], config: { cmd: ['sh'] } });
  const files = new Map(readTar(image.archive).map((e) => [e.path, e.data]));
  expect(JSON.parse(files.get('oci-layout')!.toString())).toEqual({ imageLayoutVersion: '1.0.0' });
  const index = JSON.parse(files.get('index.json')!.toString());
  expect(index.manifests[0].digest).toBe(image.manifestDigest);
  expect(index.manifests[0].annotations['io.containerd.image.name']).toBe('marina.local/t:1');
  const manifest = files.get(`blobs/sha256/${image.manifestDigest.slice(7)}`)!;
  expect(sha256(manifest)).toBe(image.manifestDigest);
  const config = JSON.parse(files.get(`blobs/sha256/${image.configDigest.slice(7)}`)!.toString());
  expect(config.config.Cmd).toEqual(['sh']);
  const layer = readTar(files.get(`blobs/sha256/${config.rootfs.diff_ids[0].slice(7)}`)!);
  expect(layer.find((e) => e.path === 'bin/sh')).toMatchObject({ type: 'symlink', target: 'busybox' });
  // Deterministic: the same input gives the same digests.
  expect(buildOciImage({ ref: 'marina.local/t:1', layers: [busyboxLayer(Buffer.from('fake busybox'), ['sh', 'sleep'])], config: { cmd: ['sh'] } }).manifestDigest).toBe(image.manifestDigest);
});
