/**
 * Container states from containerd: a task's status says created/running/stopped; once a task
 * has stopped we settle it — read the OOM kill count of its cgroup (gone after the task is
 * deleted), delete the task (which tells its exit code), and write the exit code, reason and
 * finish time (from the event stream, see exitWatcher.ts) as labels on the container. A settled container thus keeps its last state in
 * containerd itself, for the agent and for an agent restarted later.
 */
import type { ContainerInfo, ContainerState } from '../interface';
import { KeyedLock } from '../../network/keyedLock';
import { oomKillCount } from './cgroups';
import type { Ctr } from './ctr';
import type { ExitWatcher } from './exitWatcher';
import { isRuntimeLabel, runtimeLabels } from './labels';
import { parseDeleteExitCode, type TaskRow } from './parse';
import type { ContainerRecord, ContainerRecords } from './records';

export class ContainerStates {
  private readonly locks = new KeyedLock();

  constructor(
    private readonly ctr: Ctr,
    private readonly records: ContainerRecords,
    /** Exact exit times, when the event stream saw them. */
    private readonly exits?: ExitWatcher,
  ) {}

  async list(): Promise<ContainerInfo[]> {
    const [ids, tasks] = await Promise.all([this.records.ids(), this.records.tasks()]);
    const infos = await Promise.all(ids.map((id) => this.infoOf(id, tasks.get(id))));
    return infos.filter((i): i is ContainerInfo => i !== undefined);
  }

  async get(id: string): Promise<ContainerInfo | undefined> {
    return this.infoOf(id, await this.records.task(id));
  }

  /** Drops what is kept about a removed container. */
  forget(id: string): void {
    this.records.forget(id);
    this.exits?.take(id);
  }

  /** Runs fn with the container's lock held: settling, starting and stopping one container never interleave. */
  withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(id, fn);
  }

  /**
   * Settles the container's stopped task (see above). Call with the lock held. Looks at the task
   * afresh: a task that runs (again) is left alone.
   */
  async settle(id: string): Promise<void> {
    const record = await this.records.get(id);
    if (!record) return;
    const task = await this.records.task(id);
    if (task && task.status !== 'STOPPED') return;
    if (record.labels[runtimeLabels.exitCode] !== undefined || record.labels[runtimeLabels.reason] !== undefined) {
      if (task) await this.deleteTask(id); // settled before, but its task deletion was interrupted
      return;
    }
    if (!task) {
      // Started, then its task vanished unseen (containerd restarted, or we were interrupted).
      if (record.labels[runtimeLabels.startedAt]) {
        await this.records.label(id, { [runtimeLabels.reason]: 'Unknown', [runtimeLabels.finishedAt]: new Date().toISOString() });
      }
      return;
    }
    const seen = this.exits?.take(id);
    const started = record.labels[runtimeLabels.startedAt] ? new Date(record.labels[runtimeLabels.startedAt]!).getTime() : NaN;
    // Never before the start (the two clocks are one, but the start is stamped just before it happens).
    const finishedAt = new Date(Math.max((seen?.exitedAt ?? new Date()).getTime(), Number.isNaN(started) ? 0 : started));
    const oomKills = record.cgroupsPath ? await oomKillCount(record.cgroupsPath) : undefined;
    const exitCode = await this.deleteTask(id);
    const reason = (oomKills ?? 0) > 0 ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
    await this.records.label(id, {
      [runtimeLabels.exitCode]: String(exitCode),
      [runtimeLabels.reason]: reason,
      [runtimeLabels.finishedAt]: finishedAt.toISOString(),
    });
  }

  /** Deletes the (stopped) task; its exit code. */
  private async deleteTask(id: string): Promise<number> {
    const result = await this.ctr.runUnlessNotFound(['tasks', 'delete', id]);
    return result ? parseDeleteExitCode(result.stderr) : 0;
  }

  private async infoOf(id: string, task: TaskRow | undefined): Promise<ContainerInfo | undefined> {
    let record = await this.records.get(id);
    if (!record) return undefined;
    const labels = record.labels;
    const settled = labels[runtimeLabels.reason] !== undefined;
    if ((task?.status === 'STOPPED') || (!task && !settled && labels[runtimeLabels.startedAt])) {
      await this.withLock(id, () => this.settle(id));
      record = await this.records.get(id);
      if (!record) return undefined;
      task = await this.records.task(id);
    }
    return containerInfo(record, task);
  }
}

/** The ContainerInfo of a container, from its record and its task (if it has one). */
export function containerInfo(record: ContainerRecord, task: TaskRow | undefined): ContainerInfo {
  const l = record.labels;
  let state: ContainerState;
  if (task) state = task.status === 'RUNNING' || task.status === 'PAUSED' || task.status === 'PAUSING' ? 'running' : task.status === 'CREATED' ? 'created' : task.status === 'STOPPED' ? 'exited' : 'unknown';
  else state = l[runtimeLabels.reason] !== undefined ? 'exited' : 'created';
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(l)) if (!isRuntimeLabel(k)) labels[k] = v;
  const date = (key: string): Date | undefined => {
    const v = l[key];
    const d = v ? new Date(v) : undefined;
    return d && !Number.isNaN(d.getTime()) ? d : undefined;
  };
  const startedAt = date(runtimeLabels.startedAt);
  const finishedAt = state === 'exited' ? date(runtimeLabels.finishedAt) : undefined;
  const exitCode = state === 'exited' && l[runtimeLabels.exitCode] !== undefined ? Number(l[runtimeLabels.exitCode]) : undefined;
  return {
    id: record.id,
    labels,
    image: l[runtimeLabels.image] ?? '',
    imageID: l[runtimeLabels.imageId] ?? '',
    state,
    ...(exitCode !== undefined && Number.isFinite(exitCode) ? { exitCode } : {}),
    ...(state === 'exited' && l[runtimeLabels.reason] ? { reason: l[runtimeLabels.reason] } : {}),
    ...(record.createdAt ? { createdAt: record.createdAt } : {}),
    ...(startedAt ? { startedAt } : {}),
    ...(finishedAt ? { finishedAt } : {}),
    ...(task && state === 'running' && task.pid > 0 ? { pid: task.pid } : {}),
  };
}
