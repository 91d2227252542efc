/** Images on a private containerd: `marina images import`, listing and inspecting, and pulls that cannot succeed here. */
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { imagesCommand } from '../../cli/imagesCommand';
import { ImagePullError } from '../../kubelet/runtime/interface';
import { useCtrRuntime, writeBusyboxArchive } from '../harness/containerd';

const t = useCtrRuntime();

async function runCli(args: string[]): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const command = imagesCommand(out).exitOverride();
  await command.parseAsync(args, { from: 'user' });
  return Buffer.concat(chunks).toString('utf8');
}

test('marina images import loads an image archive into the agent namespace', async () => {
  const file = await writeBusyboxArchive(t.containerd.dir, 'marina.local/imported:1.0');
  expect(await t.runtime.image('marina.local/imported:1.0')).toBeUndefined();
  const printed = await runCli(['import', file, '--containerd-address', t.containerd.address, '--containerd-namespace', t.namespace]);
  expect(printed).toMatch(/^imported marina\.local\/imported:1\.0 \(sha256:[0-9a-f]{64}\) into namespace test-\d+\n$/);
  const image = await t.runtime.image('marina.local/imported:1.0');
  expect(image).toMatchObject({ ref: 'marina.local/imported:1.0' });
  expect(image!.id).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(image!.size).toBeGreaterThan(1_000_000); // busybox itself
  expect((await t.runtime.listImages()).map((i) => i.ref)).toEqual(expect.arrayContaining([t.image, 'marina.local/imported:1.0']));
});

test('marina images import rejects a missing file and a file that is not an image archive', async () => {
  const args = ['--containerd-address', t.containerd.address, '--containerd-namespace', t.namespace];
  await expect(runCli(['import', join(t.containerd.dir, 'nope.tar'), ...args])).rejects.toThrow(/nope\.tar: no such file/);
  await expect(runCli(['import', join(t.containerd.dir, 'config.toml'), ...args])).rejects.toThrow(/images import/);
});

test('images are found by short and full names; unknown ones are undefined', async () => {
  expect(await t.runtime.image(t.image)).toBeDefined();
  expect(await t.runtime.image('marina.local/busybox')).toMatchObject({ ref: t.image });
  expect(await t.runtime.image('busybox:never-imported')).toBeUndefined();
});

test('pulling an image whose registry cannot be reached fails fast with ImagePullError', async () => {
  const started = Date.now();
  const pull = t.runtime.pullImage('127.0.0.1:1/missing:latest');
  await expect(pull).rejects.toBeInstanceOf(ImagePullError);
  await expect(pull).rejects.toThrow(/failed to pull image "127\.0\.0\.1:1\/missing:latest": .*(connection refused|connect)/);
  expect(Date.now() - started).toBeLessThan(10_000);
  await expect(t.runtime.pullImage('Not A Reference!')).rejects.toThrow(/invalid image reference/);
});

test('marina images import says so when containerd is not there or the namespace is invalid', async () => {
  const file = await writeBusyboxArchive(t.containerd.dir, 'marina.local/never:1');
  await expect(runCli(['import', file, '--containerd-address', join(t.containerd.dir, 'no.sock'), '--containerd-namespace', t.namespace])).rejects.toThrow(/no containerd at .*no\.sock/);
  await expect(runCli(['import', file, '--containerd-address', t.containerd.address, '--containerd-namespace', '--oops'])).rejects.toThrow(/invalid containerd namespace/);
});
