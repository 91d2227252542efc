/**
 * What containerd keeps about each container (`ctr containers info`): its labels, creation time
 * and cgroup. A container's record changes only through us (labels), so it is cached by id; the
 * cache is filled on first sight, which is how a restarted agent learns its containers.
 */
import type { Ctr } from './ctr';
import { CtrError } from './ctr';
import { labelArgs } from './labels';
import { parseGoTime, parseTasks, type TaskRow } from './parse';
import { SharedCall } from './sharedCall';

export interface ContainerRecord {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt?: Date;
  /** The cgroup the task runs in (the spec's linux.cgroupsPath). */
  readonly cgroupsPath?: string;
}

export class ContainerRecords {
  private readonly cache = new Map<string, ContainerRecord>();
  // Pods syncing at once share their listings (each still sees one started after its call).
  private readonly idListing = new SharedCall(() => this.listIds());
  private readonly taskListing = new SharedCall(() => this.listTasks());

  constructor(private readonly ctr: Ctr) {}

  /** Every container's id. */
  ids(): Promise<string[]> {
    return this.idListing.run();
  }

  private async listIds(): Promise<string[]> {
    // Records cached meanwhile (a container just created) are not judged by this listing.
    const before = [...this.cache.keys()];
    const { stdout } = await this.ctr.run(['containers', 'ls', '-q']);
    const ids = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    const live = new Set(ids);
    for (const id of before) if (!live.has(id)) this.cache.delete(id);
    return ids;
  }

  /** The container's record, or undefined when containerd does not have it. */
  async get(id: string): Promise<ContainerRecord | undefined> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    let stdout: string;
    try {
      ({ stdout } = await this.ctr.run(['containers', 'info', id]));
    } catch (err) {
      if (err instanceof CtrError && err.notFound) return undefined;
      throw err;
    }
    const record = parseContainerInfo(id, stdout);
    this.cache.set(id, record);
    return record;
  }

  /** Sets labels on the container (containerd merges them with the others). */
  async label(id: string, labels: Readonly<Record<string, string>>): Promise<ContainerRecord | undefined> {
    await this.ctr.run(['containers', 'label', id, ...labelArgs(labels)]);
    const record = this.cache.get(id);
    if (!record) return this.get(id);
    const updated = { ...record, labels: { ...record.labels, ...labels } };
    this.cache.set(id, updated);
    return updated;
  }

  remember(record: ContainerRecord): void {
    this.cache.set(record.id, record);
  }

  forget(id: string): void {
    this.cache.delete(id);
  }

  /** Every task: id → its pid and status. */
  tasks(): Promise<Map<string, TaskRow>> {
    return this.taskListing.run();
  }

  private async listTasks(): Promise<Map<string, TaskRow>> {
    const { stdout } = await this.ctr.run(['tasks', 'ls']);
    return new Map(parseTasks(stdout).map((t) => [t.id, t]));
  }

  async task(id: string): Promise<TaskRow | undefined> {
    return (await this.tasks()).get(id);
  }
}

/** The record in `ctr containers info`'s JSON. */
export function parseContainerInfo(id: string, stdout: string): ContainerRecord {
  let info: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(stdout);
    info = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    throw new Error(`ctr containers info ${id}: not JSON`);
  }
  const rawLabels = info.Labels && typeof info.Labels === 'object' ? (info.Labels as Record<string, unknown>) : {};
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawLabels)) if (typeof v === 'string') labels[k] = v;
  const spec = info.Spec && typeof info.Spec === 'object' ? (info.Spec as Record<string, unknown>) : {};
  const linux = spec.linux && typeof spec.linux === 'object' ? (spec.linux as Record<string, unknown>) : {};
  const createdAt = parseGoTime(info.CreatedAt);
  return {
    id,
    labels,
    ...(createdAt ? { createdAt } : {}),
    ...(typeof linux.cgroupsPath === 'string' && linux.cgroupsPath ? { cgroupsPath: linux.cgroupsPath } : {}),
  };
}
