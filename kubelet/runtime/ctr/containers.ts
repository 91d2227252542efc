/**
 * Container lifecycle on containerd. A container is created from our own OCI spec
 * (`ctr containers create --config`, see spec.ts) on a root filesystem we mount from a snapshot
 * of its image (mounts.ts) at <stateDir>/containers/<id>/rootfs; its task is started detached
 * with stdout and stderr appended to the spec's log file (`ctr tasks start -d --log-uri file://`).
 * Stopping sends the stop signal, waits out the grace period, then SIGKILLs every process.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ContainerSpec, Mount } from '../interface';
import { CtrError, type Ctr } from './ctr';
import type { ImageStore } from './images';
import { labelArgs, runtimeLabels } from './labels';
import { mountAll, parseSnapshotMounts, unmountUnder } from './mounts';
import type { ContainerRecords } from './records';
import type { SandboxRecord } from './sandboxes';
import { buildOciSpec, resolveProcess, resolveUser } from './spec';
import type { ContainerStates } from './status';

export interface ContainerLifecycleOptions {
  readonly ctr: Ctr;
  readonly images: ImageStore;
  readonly records: ContainerRecords;
  readonly states: ContainerStates;
  /** Bundles (spec + rootfs mount point) live in <stateDir>/containers/<id>. */
  readonly stateDir: string;
  /** Containers' cgroups are <cgroupParent>/<id>. */
  readonly cgroupParent: string;
}

export class ContainerLifecycle {
  constructor(private readonly o: ContainerLifecycleOptions) {}

  bundleDir(id: string): string {
    return join(this.o.stateDir, 'containers', checkContainerId(id));
  }

  async create(sandbox: SandboxRecord, spec: ContainerSpec): Promise<string> {
    checkSpec(spec);
    const found = await this.o.images.find(spec.image);
    if (!found) throw new Error(`image ${JSON.stringify(spec.image)} is not present on this node`);
    const image = await this.o.images.resolve(found);
    const id = randomBytes(16).toString('hex');
    const bundle = this.bundleDir(id);
    const rootfs = join(bundle, 'rootfs');
    await mkdir(rootfs, { recursive: true });
    try {
      const { stdout } = await this.o.ctr.run(['snapshots', 'prepare', '--mounts', id, image.chainId]);
      await mountAll(parseSnapshotMounts(stdout), rootfs);
      const [passwd, group] = await Promise.all(['passwd', 'group'].map((f) => readFile(join(rootfs, 'etc', f), 'utf8').catch(() => '')));
      const user = resolveUser(spec.user, image.config.user, { passwd: passwd!, group: group! });
      const proc = resolveProcess(spec, image.config);
      if (proc.args.length === 0) throw new Error(`container ${spec.name}: no command given and the image has none`);
      const cgroupsPath = `${this.o.cgroupParent}/${id}`;
      const podFiles: Mount[] = [
        { hostPath: sandbox.files.hosts, containerPath: '/etc/hosts', readOnly: false },
        { hostPath: sandbox.files.resolvConf, containerPath: '/etc/resolv.conf', readOnly: false },
        { hostPath: sandbox.files.hostname, containerPath: '/etc/hostname', readOnly: false },
      ];
      const oci = buildOciSpec({
        rootfs,
        args: proc.args,
        env: proc.env,
        cwd: proc.cwd,
        uid: user.uid,
        gid: user.gid,
        additionalGids: user.additionalGids,
        // ctr can only give a terminal to a task whose own stdio is one; logs need plain pipes.
        terminal: false,
        hostname: sandbox.hostname,
        namespaces: sandbox.hostNetwork
          ? { network: 'host', ipc: sandbox.ipcPath, uts: 'host' }
          : { ...(sandbox.netnsPath ? { network: sandbox.netnsPath } : {}), ipc: sandbox.ipcPath, ...(sandbox.utsPath ? { uts: sandbox.utsPath } : {}) },
        mounts: [...podFiles, ...spec.mounts],
        cgroupsPath,
        ...(spec.limits?.memoryBytes ? { memoryBytes: spec.limits.memoryBytes } : {}),
        ...(spec.limits?.milliCPU ? { milliCPU: spec.limits.milliCPU } : {}),
      });
      const configPath = join(bundle, 'config.json');
      await writeFile(configPath, JSON.stringify(oci));
      const labels: Record<string, string> = {
        ...spec.labels,
        [runtimeLabels.image]: spec.image,
        [runtimeLabels.imageId]: image.id,
        [runtimeLabels.stopSignal]: image.config.stopSignal || 'SIGTERM',
        [runtimeLabels.sandbox]: sandbox.podUid,
        [runtimeLabels.logPath]: spec.logPath,
      };
      await this.o.ctr.run(['containers', 'create', '--config', configPath, ...labelArgs(labels).flatMap((l) => ['--label', l]), id]);
      this.o.records.remember({ id, labels, createdAt: new Date(), cgroupsPath });
      return id;
    } catch (err) {
      await this.removeFiles(id).catch(() => {});
      throw err;
    }
  }

  async start(id: string): Promise<void> {
    checkContainerId(id);
    return this.o.states.withLock(id, async () => {
      const record = await this.o.records.get(id);
      if (!record) throw new Error(`container ${id} not found`);
      const logPath = record.labels[runtimeLabels.logPath];
      if (!logPath) throw new Error(`container ${id} has no log path`);
      await mkdir(dirname(logPath), { recursive: true });
      // Stamped before the call: the process starts during it, and may have ended when it returns.
      const startedAt = { [runtimeLabels.startedAt]: new Date().toISOString() };
      await this.o.ctr.run(['tasks', 'start', '--detach', '--log-uri', pathToFileURL(logPath).href, id]);
      // Known at once here; written to containerd right after (next in this container's queue, so
      // before any settling), without making the caller wait for one more ctr call.
      this.o.records.remember({ ...record, labels: { ...record.labels, ...startedAt } });
      void this.o.states.withLock(id, () => this.o.records.label(id, startedAt)).catch(() => {});
    });
  }

  /** Stop signal, grace period, SIGKILL to all; then the exit is settled. Idempotent. */
  async stop(id: string, gracePeriodSeconds: number): Promise<void> {
    checkContainerId(id);
    return this.o.states.withLock(id, async () => {
      const record = await this.o.records.get(id);
      if (!record) return;
      let task = await this.o.records.task(id);
      if (task && task.status !== 'STOPPED' && task.status !== 'CREATED') {
        const signal = record.labels[runtimeLabels.stopSignal] || 'SIGTERM';
        const graceMs = Math.max(0, gracePeriodSeconds) * 1000;
        if (graceMs > 0) {
          await this.kill(id, signal, false);
          task = await this.waitStopped(id, task.pid, graceMs);
        }
        if (task && task.status !== 'STOPPED') {
          await this.kill(id, 'SIGKILL', true);
          task = await this.waitStopped(id, task.pid, 10_000);
          if (task && task.status !== 'STOPPED') throw new Error(`container ${id} did not stop after SIGKILL`);
        }
      } else if (task?.status === 'CREATED') {
        await this.kill(id, 'SIGKILL', true);
        await this.waitStopped(id, task.pid, 10_000);
      }
      await this.o.states.settle(id);
    });
  }

  /** Kills what still runs, deletes the task, the container, its snapshot, rootfs mount and bundle. Idempotent. */
  async remove(id: string): Promise<void> {
    checkContainerId(id);
    return this.o.states.withLock(id, async () => {
      await this.o.ctr.runUnlessNotFound(['tasks', 'delete', '--force', id]);
      await this.o.ctr.runUnlessNotFound(['containers', 'delete', id]);
      this.o.states.forget(id);
      await this.removeFiles(id);
    });
  }

  private async removeFiles(id: string): Promise<void> {
    const bundle = this.bundleDir(id);
    await unmountUnder(bundle);
    await this.o.ctr.runUnlessNotFound(['snapshots', 'rm', id]);
    await rm(bundle, { recursive: true, force: true });
  }

  private async kill(id: string, signal: string, all: boolean): Promise<void> {
    const r = await this.o.ctr.exec(['tasks', 'kill', '--signal', signal, ...(all ? ['--all'] : []), id]);
    if (r.code !== 0 && !/not found|process already finished|no such process/i.test(r.stderr)) {
      throw new CtrError(['tasks', 'kill', '--signal', signal, id], r.code, r.stderr);
    }
  }

  /** Waits until the task's process is gone and containerd says STOPPED (or the deadline). The task as last seen. */
  private async waitStopped(id: string, pid: number, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 100)) {
      if (!processAlive(pid)) {
        const task = await this.o.records.task(id);
        if (!task || task.status === 'STOPPED') return task;
      }
      if (Date.now() >= deadline) return this.o.records.task(id);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** What would otherwise fail late or obscurely: paths that must be absolute, limits that must be positive. */
function checkSpec(spec: ContainerSpec): void {
  const what = `container ${JSON.stringify(spec.name)}`;
  if (!isAbsolute(spec.logPath)) throw new Error(`${what}: log path ${JSON.stringify(spec.logPath)} is not absolute`);
  for (const m of spec.mounts) {
    if (!isAbsolute(m.hostPath) || !isAbsolute(m.containerPath)) throw new Error(`${what}: mount ${JSON.stringify(m.hostPath)} on ${JSON.stringify(m.containerPath)}: paths must be absolute`);
  }
  if (spec.workingDir && !isAbsolute(spec.workingDir)) throw new Error(`${what}: working directory ${JSON.stringify(spec.workingDir)} is not absolute`);
  const { memoryBytes, milliCPU } = spec.limits ?? {};
  if (memoryBytes !== undefined && !(Number.isFinite(memoryBytes) && memoryBytes >= 0)) throw new Error(`${what}: invalid memory limit ${memoryBytes}`);
  if (milliCPU !== undefined && !(Number.isFinite(milliCPU) && milliCPU >= 0)) throw new Error(`${what}: invalid cpu limit ${milliCPU}`);
  for (const e of spec.env) if (!e.name || e.name.includes('=') || e.name.includes('\0') || e.value.includes('\0')) throw new Error(`${what}: invalid environment variable ${JSON.stringify(e.name)}`);
}

/** containerd's container ids (never mistaken for a ctr flag). */
export function checkContainerId(id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,75}$/.test(id)) throw new Error(`invalid container id ${JSON.stringify(id)}`);
  return id;
}

function processAlive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
