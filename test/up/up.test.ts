/**
 * `marina up` / `marina down` as a user runs them (the compiled CLI, in its own process group so
 * a SIGINT to the group is a terminal's Ctrl-C): the cluster comes up with every component, the
 * kubeconfig works with the real kubectl, a Deployment's pods are scheduled and run on the
 * (hollow) nodes, Ctrl-C stops everything leaving no process behind, the same data dir keeps the
 * objects, --detach + `marina down` work, and a second `up` on a running data dir is refused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eventually } from '../client/helpers';
import { createKubectlForKubeconfig } from '../harness/kubectl';
import { ensureCliBuilt, repoRoot, startMarina } from '../harness/marinaProcess';
import { tempDir } from '../harness/tmp';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  ensureCliBuilt();
  dir = await tempDir('up');
}, 120_000);
afterAll(async () => {
  await dir.remove();
});

interface Up {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
}

/** `marina up ARGS` in a process group of its own. */
function up(dataDir: string, args: readonly string[] = []): Up {
  const child = spawn(process.execPath, ['bin/marina.js', 'up', '--data-dir', dataDir, '--port', '0', '--nodes', '0', '--hollow-nodes', '2', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => out, stderr: () => err };
}

async function waitUp(u: Up): Promise<void> {
  await eventually('marina up to print the KUBECONFIG line', () => {
    if (u.child.exitCode !== null) throw new Error(`marina up exited ${u.child.exitCode}: ${u.stderr()}`);
    return u.stdout().includes('export KUBECONFIG=') ? true : undefined;
  }, 60_000);
}

/** The pids of the scheduler processes of the cluster in `dataDir`. */
async function schedulerPids(dataDir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (argv.includes('scheduler') && argv.some((a) => a.startsWith(dataDir))) pids.push(Number(entry));
  }
  return pids;
}

/** Processes whose command line mentions `path`. */
async function processesUnder(path: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' ');
    if (cmdline.includes(path)) found.push(cmdline.slice(0, 120));
  }
  return found;
}

describe('marina up', () => {
  it('brings up a working cluster; Ctrl-C stops everything; the same data dir keeps the objects', async () => {
    const dataDir = join(dir.path, 'fg');
    const first = up(dataDir);
    try {
      await waitUp(first);
      expect(first.stdout()).toMatch(/^Marina is up in \d+\.\d s: API server http:\/\/127\.0\.0\.1:\d+, 2 nodes Ready \(hollow-node-0, hollow-node-1\)$/m);
      expect(first.stdout()).toContain(`export KUBECONFIG=${join(dataDir, 'kubeconfig')}`);
      const logs = await readdir(join(dataDir, 'logs'));
      expect(logs).toEqual(expect.arrayContaining(['etcd.log', 'apiserver.log', 'controller-manager.log', 'scheduler.log', 'hollow-nodes.log']));

      const kubectl = await createKubectlForKubeconfig(join(dataDir, 'kubeconfig'));
      try {
        const nodes = await kubectl.run(['get', 'nodes', '--no-headers']);
        expect(nodes.stdout.trim().split('\n').map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['hollow-node-0 Ready', 'hollow-node-1 Ready']);
        expect((await kubectl.run(['create', 'deployment', 'web', '--image=busybox', '--replicas=3'])).code).toBe(0);
        // Controllers, scheduler and node agents at work: the rollout completes.
        const rollout = await kubectl.run(['rollout', 'status', 'deployment/web', '--timeout=60s']);
        expect(rollout.stdout).toContain('successfully rolled out');
        const pods = await kubectl.run(['get', 'pods', '-o', 'jsonpath={range .items[*]}{.spec.nodeName} {.status.phase}{"\\n"}{end}']);
        const lines = pods.stdout.trim().split('\n');
        expect(lines).toHaveLength(3);
        for (const line of lines) expect(line).toMatch(/^hollow-node-[01] Running$/);
      } finally {
        await kubectl.dispose();
      }

      process.kill(-first.child.pid!, 'SIGINT');
      expect(await first.exited).toBe(0);
      expect(first.stdout()).toContain('Marina stopped.');
      expect(await processesUnder(dataDir)).toEqual([]);
    } finally {
      if (first.child.exitCode === null) process.kill(-first.child.pid!, 'SIGKILL');
    }

    const second = up(dataDir);
    try {
      await waitUp(second);
      const kubectl = await createKubectlForKubeconfig(join(dataDir, 'kubeconfig'));
      try {
        const got = await kubectl.run(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}']);
        expect(got.stdout).toBe('3');
      } finally {
        await kubectl.dispose();
      }
      process.kill(-second.child.pid!, 'SIGINT');
      expect(await second.exited).toBe(0);
    } finally {
      if (second.child.exitCode === null) process.kill(-second.child.pid!, 'SIGKILL');
    }
  }, 180_000);

  it('restarts a component that dies, with backoff, and says so', async () => {
    const dataDir = join(dir.path, 'restart');
    const u = up(dataDir);
    try {
      await waitUp(u);
      const [before] = await schedulerPids(dataDir);
      expect(before).toBeDefined();
      process.kill(before!, 'SIGKILL');
      await eventually('the restart notice', () => (u.stderr().includes('marina up: scheduler exited (SIGKILL); restarting in 1 s') ? true : undefined), 10_000);
      const [after] = await eventually('a new scheduler process', async () => {
        const pids = await schedulerPids(dataDir);
        return pids.length === 1 && pids[0] !== before ? pids : undefined;
      }, 20_000);
      expect(after).not.toBe(before);
      process.kill(-u.child.pid!, 'SIGINT');
      expect(await u.exited).toBe(0);
    } finally {
      if (u.child.exitCode === null) process.kill(-u.child.pid!, 'SIGKILL');
    }
  }, 120_000);

  it('--detach returns once up; a second up on the data dir is refused; marina down stops it', async () => {
    const dataDir = join(dir.path, 'bg');
    const detached = startMarina(['up', '--data-dir', dataDir, '--port', '0', '--nodes', '0', '--hollow-nodes', '1', '--detach']);
    const { code } = await detached.exited;
    expect(code).toBe(0);
    expect(detached.stdout()).toMatch(/Running in the background \(pid \d+\); stop it with: marina down --data-dir /);
    const state = JSON.parse(await readFile(join(dataDir, 'up.json'), 'utf8')) as { pid: number; ready: boolean };
    expect(state.ready).toBe(true);
    try {
      const again = startMarina(['up', '--data-dir', dataDir, '--port', '0', '--nodes', '0']);
      expect((await again.exited).code).toBe(1);
      expect(again.stderr()).toContain(`a cluster is already running from ${dataDir} (pid ${state.pid})`);

      const down = startMarina(['down', '--data-dir', dataDir]);
      expect((await down.exited).code).toBe(0);
      expect(down.stdout()).toMatch(/^Marina stopped \(\d+\.\d s\)\.$/m);
      expect(await processesUnder(dataDir)).toEqual([]);
      const downAgain = startMarina(['down', '--data-dir', dataDir]);
      expect((await downAgain.exited).code).toBe(0);
      expect(downAgain.stdout()).toContain('No cluster is running');
    } finally {
      try {
        process.kill(state.pid, 'SIGKILL');
      } catch {
        // stopped already
      }
    }
  }, 120_000);
});
