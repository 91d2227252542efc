/** The containerd runtime (kubelet/runtime/ctr) running real busybox containers on a private containerd. */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { ContainerInfo, ContainerSpec, Sandbox } from '../../kubelet/runtime/interface';
import { useCtrRuntime } from '../harness/containerd';
import { eventually } from '../client/helpers';

const t = useCtrRuntime();

let counter = 0;
async function sandbox(): Promise<Sandbox> {
  const uid = randomUUID();
  return t.runtime.createSandbox({ podUid: uid, podName: `pod-${++counter}`, namespace: 'default', hostname: `pod-${counter}`, hostNetwork: false });
}

function spec(s: Sandbox, name: string, command: string[], extra: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    podUid: s.podUid,
    podName: 'pod',
    namespace: 'default',
    name,
    restartCount: 0,
    image: t.image,
    command,
    args: [],
    env: [],
    mounts: [],
    tty: false,
    stdin: false,
    labels: { 'io.kubernetes.pod.uid': s.podUid, 'io.kubernetes.container.name': name, 'marina.io/restart-count': '0' },
    logPath: join(t.stateDir, 'logs', s.podUid, `${name}-0.log`),
    ...extra,
  };
}

async function run(s: Sandbox, name: string, command: string[], extra: Partial<ContainerSpec> = {}): Promise<string> {
  const id = await t.runtime.createContainer(s, spec(s, name, command, extra));
  await t.runtime.startContainer(id);
  return id;
}

const exited = (id: string, timeoutMs = 15_000): Promise<ContainerInfo> =>
  eventually(`container ${id} to exit`, async () => {
    const c = await t.runtime.container(id);
    return c?.state === 'exited' ? c : undefined;
  }, timeoutMs);

test('a container writes its stdout and stderr to its log and exits with its code', async () => {
  const s = await sandbox();
  const before = Date.now();
  const id = await run(s, 'hello', ['sh', '-c', 'echo hello out; echo hello err >&2; exit 3']);
  const c = await exited(id);
  expect(c).toMatchObject({ state: 'exited', exitCode: 3, reason: 'Error', image: t.image });
  expect(c.imageID).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(c.labels).toEqual({ 'io.kubernetes.pod.uid': s.podUid, 'io.kubernetes.container.name': 'hello', 'marina.io/restart-count': '0' });
  expect(c.startedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
  expect(c.finishedAt!.getTime()).toBeGreaterThanOrEqual(c.startedAt!.getTime());
  const log = await readFile(spec(s, 'hello', []).logPath, 'utf8');
  expect(log).toContain('hello out\n');
  expect(log).toContain('hello err\n');
  await t.runtime.removeContainer(id);
  await t.runtime.removeContainer(id); // idempotent
  expect(await t.runtime.container(id)).toBeUndefined();
});

test('stop sends SIGTERM and waits for a process that handles it', async () => {
  const s = await sandbox();
  const id = await run(s, 'polite', ['sh', '-c', "trap 'echo got TERM; exit 0' TERM; echo ready; while true; do sleep 0.1; done"]);
  await eventually('the trap to be set', async () => ((await readFile(spec(s, 'polite', []).logPath, 'utf8').catch(() => '')).includes('ready') ? true : undefined));
  const started = Date.now();
  await t.runtime.stopContainer(id, 20);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(await t.runtime.container(id)).toMatchObject({ state: 'exited', exitCode: 0, reason: 'Completed' });
  expect(await readFile(spec(s, 'polite', []).logPath, 'utf8')).toContain('got TERM');
  await t.runtime.stopContainer(id, 20); // idempotent
});

test('stop SIGKILLs a process that ignores SIGTERM once the grace period is over', async () => {
  const s = await sandbox();
  const id = await run(s, 'stubborn', ['sh', '-c', "trap '' TERM; echo ready; while true; do sleep 0.1; done"]);
  await eventually('the trap to be set', async () => ((await readFile(spec(s, 'stubborn', []).logPath, 'utf8').catch(() => '')).includes('ready') ? true : undefined));
  const started = Date.now();
  await t.runtime.stopContainer(id, 1);
  const took = Date.now() - started;
  expect(took).toBeGreaterThanOrEqual(1_000);
  expect(took).toBeLessThan(10_000);
  expect(await t.runtime.container(id)).toMatchObject({ state: 'exited', exitCode: 137, reason: 'Error' });
});

test('exec passes stdin, stdout, stderr and the exit code through', async () => {
  const s = await sandbox();
  const id = await run(s, 'exec', ['sleep', '1000']);
  const collect = () => {
    const chunks: Buffer[] = [];
    const stream = new PassThrough();
    stream.on('data', (c: Buffer) => chunks.push(c));
    return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
  };
  const out = collect();
  const err = collect();
  const session = await t.runtime.exec(id, ['sh', '-c', 'echo to out; echo to err >&2; exit 7'], { tty: false, stdout: out.stream, stderr: err.stream });
  expect(await session.exitCode).toBe(7);
  expect(out.text()).toBe('to out\n');
  expect(err.text()).toBe('to err\n');

  const input = new PassThrough();
  const echoed = collect();
  const cat = await t.runtime.exec(id, ['cat'], { tty: false, stdin: input, stdout: echoed.stream });
  input.end('through stdin\n');
  expect(await cat.exitCode).toBe(0);
  expect(echoed.text()).toBe('through stdin\n');

  const missing = await t.runtime.exec(id, ['/no/such/binary'], { tty: false });
  expect(await missing.exitCode).toBe(127);

  const started = Date.now();
  const slow = await t.runtime.exec(id, ['sleep', '100'], { tty: false, timeoutMs: 300 });
  expect(await slow.exitCode).toBe(137); // killed at its deadline
  expect(Date.now() - started).toBeLessThan(10_000);

  const terminal = collect();
  const withTty = await t.runtime.exec(id, ['sh', '-c', 'tty; stty size; exit 5'], { tty: true, stdin: new PassThrough(), stdout: terminal.stream });
  withTty.resize?.(100, 30);
  expect(await withTty.exitCode).toBe(5);
  expect(terminal.text()).toMatch(/\/dev\/pts\/\d+/);
  await t.runtime.stopContainer(id, 0);
});

test('a container over its memory limit is OOM-killed', async () => {
  const s = await sandbox();
  // The string doubles until the cgroup's 16 MiB are gone.
  const id = await run(s, 'hog', ['sh', '-c', 'x=0123456789; while true; do x=$x$x; done'], { limits: { memoryBytes: 16 * 1024 * 1024 } });
  expect(await exited(id, 20_000)).toMatchObject({ state: 'exited', exitCode: 137, reason: 'OOMKilled' });
});

test('user, group, environment, working directory, bind mounts and cpu limit are applied', async () => {
  const s = await sandbox();
  const host = join(t.stateDir, `volume-${counter}`);
  await mkdir(host, { recursive: true });
  await writeFile(join(host, 'x'), 'from the host\n');
  const id = await run(s, 'env', ['sh', '-c', 'id -u; id -g; echo "FOO=$FOO"; pwd; cat /data/x; hostname; touch /data/y 2>/dev/null || echo read-only; echo done; exec sleep 1000'], {
    user: { uid: 65534, gid: 65534 },
    env: [{ name: 'FOO', value: 'bar baz' }],
    workingDir: '/tmp',
    mounts: [{ hostPath: host, containerPath: '/data', readOnly: true }],
    limits: { milliCPU: 250 },
  });
  const log = await eventually('the container to print its settings', async () => {
    const text = await readFile(spec(s, 'env', []).logPath, 'utf8').catch(() => '');
    return text.includes('done\n') ? text : undefined;
  });
  expect(log.split('\n')).toEqual(['65534', '65534', 'FOO=bar baz', '/tmp', 'from the host', `pod-${counter}`, 'read-only', 'done', '']);
  const quota = await readFile(`/sys/fs/cgroup/cpu/marina/${t.namespace}/${id}/cpu.cfs_quota_us`, 'utf8');
  expect(quota.trim()).toBe('25000');
  await t.runtime.stopContainer(id, 0);
});

test('a restarted runtime adopts running and exited containers from their labels', async () => {
  const s = await sandbox();
  const running = await run(s, 'long', ['sleep', '1000']);
  const done = await run(s, 'short', ['sh', '-c', 'exit 4']);
  const before = (await t.runtime.container(running))!;
  // A new runtime on the same containerd namespace and state directory, as after an agent restart;
  // the short container exits while nobody watches.
  const again = await t.restarted();
  const byName = async () => new Map((await again.listContainers()).map((c) => [c.labels['io.kubernetes.container.name'], c]));
  const adopted = await eventually('the short container to be seen exited', async () => {
    const m = await byName();
    return m.get('short')?.state === 'exited' ? m : undefined;
  });
  expect(adopted.get('long')).toMatchObject({ id: running, state: 'running', pid: before.pid, labels: { 'io.kubernetes.pod.uid': s.podUid } });
  expect(adopted.get('long')!.startedAt).toEqual(before.startedAt);
  expect(adopted.get('short')).toMatchObject({ id: done, state: 'exited', exitCode: 4, reason: 'Error' });
  expect((await again.listSandboxes()).map((x) => x.podUid)).toContain(s.podUid);
  await again.stopContainer(running, 0);
});

test('an exit is stamped with the time the task ended, not when it was noticed', async () => {
  const s = await sandbox();
  const quick = await run(s, 'quick', ['sh', '-c', 'echo bye']);
  await eventually('the quick container to print', async () => ((await readFile(spec(s, 'quick', []).logPath, 'utf8').catch(() => '')).includes('bye') ? true : undefined));
  // Meanwhile other work goes on; the quick container's exit is looked at only afterwards.
  const other = await run(s, 'other', ['sleep', '1000']);
  expect(await (await t.runtime.exec(other, ['true'], { tty: false })).exitCode).toBe(0);
  const noticed = Date.now();
  const c = await exited(quick);
  expect(c.exitCode).toBe(0);
  expect(c.reason).toBe('Completed');
  expect(c.finishedAt!.getTime()).toBeLessThan(noticed);
  await t.runtime.stopContainer(other, 0);
});

test('a container that exits by itself is announced with its pod uid', async () => {
  const s = await sandbox();
  const seen: string[] = [];
  const cancel = t.runtime.onEvent((uid) => seen.push(uid));
  try {
    await run(s, 'announced', ['sh', '-c', 'exit 0']);
    await eventually('the exit to be announced', () => (seen.includes(s.podUid) ? true : undefined));
  } finally {
    cancel();
  }
});

test('bad container specs and unknown ids get clear errors', async () => {
  const s = await sandbox();
  await expect(t.runtime.createContainer(s, spec(s, 'rel', ['true'], { logPath: 'relative.log' }))).rejects.toThrow(/log path "relative.log" is not absolute/);
  await expect(t.runtime.createContainer(s, spec(s, 'img', ['true'], { image: 'marina.local/not-imported:1' }))).rejects.toThrow(/image "marina.local\/not-imported:1" is not present/);
  await expect(t.runtime.createContainer(s, spec(s, 'mnt', ['true'], { mounts: [{ hostPath: 'x', containerPath: '/x', readOnly: false }] }))).rejects.toThrow(/paths must be absolute/);
  await expect(t.runtime.startContainer('--help')).rejects.toThrow(/invalid container id/);
  await expect(t.runtime.startContainer('0123456789abcdef0123456789abcdef')).rejects.toThrow(/not found/);
  expect(await t.runtime.container('--help')).toBeUndefined();
  await t.runtime.stopContainer('0123456789abcdef0123456789abcdef', 1); // idempotent: nothing to stop
  await t.runtime.removeContainer('0123456789abcdef0123456789abcdef');
});

test('exec in a container that does not run is an error, not an exit code', async () => {
  const s = await sandbox();
  const id = await run(s, 'gone', ['sh', '-c', 'exit 0']);
  await exited(id);
  await expect((await t.runtime.exec(id, ['true'], { tty: false })).exitCode).rejects.toThrow(/is not running/);
  await expect((await t.runtime.exec('0123456789abcdef0123456789abcdef', ['true'], { tty: false })).exitCode).rejects.toThrow(/is not running/);
});

test('pods started, listed, stopped and removed concurrently', async () => {
  const pods = await Promise.all(Array.from({ length: 8 }, () => sandbox()));
  const ids = await Promise.all(pods.map((s, i) => run(s, `many-${i}`, ['sleep', '1000'])));
  expect(new Set(pods.map((s) => s.ip)).size).toBe(8);
  const listed = new Map((await t.runtime.listContainers()).map((c) => [c.id, c]));
  for (const id of ids) expect(listed.get(id)).toMatchObject({ state: 'running' });
  await Promise.all(ids.map((id) => t.runtime.stopContainer(id, 0)));
  await Promise.all(ids.map((id) => t.runtime.removeContainer(id)));
  await Promise.all(pods.map((s) => t.runtime.removeSandbox(s.podUid)));
  const left = new Set((await t.runtime.listContainers()).map((c) => c.id));
  for (const id of ids) expect(left.has(id)).toBe(false);
  const sandboxes = new Set((await t.runtime.listSandboxes()).map((s) => s.podUid));
  for (const s of pods) expect(sandboxes.has(s.podUid)).toBe(false);
});
