/**
 * Compacts etcd's history so it does not grow without bound: every `intervalMs` it notes the
 * current revision, and compacts up to the newest revision noted at least `retentionMs` ago.
 * History younger than the retention therefore stays available for watches and paged lists.
 */
import type { Logger } from '../../client/log';
import type { Storage } from './interface';

export interface CompactorOptions {
  /** How much history to keep. Default 5 minutes. */
  readonly retentionMs?: number;
  /** How often to check. Default 1 minute. */
  readonly intervalMs?: number;
  readonly log: Logger;
}

export interface Compactor {
  /** One check now (also what the timer runs). */
  tick(): Promise<void>;
  stop(): void;
}

export function startCompactor(storage: Storage, options: CompactorOptions): Compactor {
  const retentionMs = options.retentionMs ?? 5 * 60_000;
  let marks: { at: number; revision: number }[] = [];
  let compacted = 0;
  let running: Promise<void> | undefined;

  const check = async () => {
    const now = Date.now();
    marks.push({ at: now, revision: await storage.currentRevision() });
    const due = marks.filter((m) => m.at <= now - retentionMs);
    const target = due.length ? due[due.length - 1]!.revision : 0;
    marks = marks.filter((m) => m.at > now - retentionMs);
    if (target > compacted) {
      await storage.compact(target);
      compacted = target;
      options.log.info('compacted etcd history', { revision: target });
    }
  };

  const tick = async () => {
    running ??= check()
      .catch((err: unknown) => options.log.warn('compaction failed', { error: err }))
      .finally(() => (running = undefined));
    await running;
  };

  const timer = setInterval(() => void tick(), options.intervalMs ?? 60_000);
  timer.unref();
  return { tick, stop: () => clearInterval(timer) };
}
