/**
 * Waiting for objects: `apply --wait`, `rollout status`, `wait` and `delete` poll an object until
 * a check says it is done (ready, a condition met, gone), fails for good (a failed Job), or the
 * deadline passes. Polling (not a watch) keeps every waiter the same and cheap for a CLI: one GET
 * per object per interval. On a terminal a spinner line on stderr shows what is awaited.
 */
import type { KubeObject } from '../../api/kinds/kind';
import { isStatusError } from '../../api/status';
import type { Session } from './context';
import type { ApiResource } from './discovery';
import { CliError } from './io';
import { targetPath } from './resources';

export interface CheckResult {
  readonly done: boolean;
  /** Will not become done by waiting (stop at once). */
  readonly failed?: boolean;
  readonly message: string;
}

/** Looks at the object (undefined: it does not exist). */
export type Check = (obj: KubeObject | undefined) => CheckResult;

export interface PollTarget {
  readonly resource: ApiResource;
  readonly namespace: string | undefined;
  readonly name: string;
}

export interface PollOptions {
  /** 0: no deadline (until the verb is interrupted). */
  readonly timeoutMs: number;
  /** Default 200 ms. */
  readonly intervalMs?: number;
  /** Called with each new message (progress display). */
  readonly onProgress?: (message: string) => void;
}

export interface PollOutcome {
  readonly result: CheckResult;
  readonly object: KubeObject | undefined;
  readonly timedOut: boolean;
}

/** Polls one object until `check` is done or failed, or the deadline passes (never throws for those). */
export async function pollObject(session: Session, target: PollTarget, check: Check, options: PollOptions): Promise<PollOutcome> {
  const deadline = options.timeoutMs > 0 ? Date.now() + options.timeoutMs : Infinity;
  const interval = options.intervalMs ?? 200;
  const path = targetPath(target.resource, target.namespace, target.name);
  let last = '';
  for (;;) {
    let obj: KubeObject | undefined;
    try {
      obj = await session.client.get<KubeObject>(path);
    } catch (err) {
      if (!isStatusError(err, 404)) throw err;
    }
    const result = check(obj);
    if (result.message !== last) {
      last = result.message;
      options.onProgress?.(result.message);
    }
    if (result.done || result.failed) return { result, object: obj, timedOut: false };
    if (Date.now() >= deadline) return { result, object: obj, timedOut: true };
    if (session.io.signal.aborted) throw new CliError('interrupted');
    await delay(Math.min(interval, Math.max(0, deadline - Date.now())), session.io.signal);
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A one-line progress display on stderr, only on a terminal; `clear()` removes it. */
export interface Progress {
  update(message: string): void;
  clear(): void;
}

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function progress(session: Session): Progress {
  const err = session.io.stderr;
  if (!err.isTTY) return { update: () => undefined, clear: () => undefined };
  let i = 0;
  let shown = false;
  return {
    update(message) {
      const width = (err.columns ?? 80) - 3;
      err.write(`\r\x1b[2K${frames[i++ % frames.length]} ${message.slice(0, width)}`);
      shown = true;
    },
    clear() {
      if (shown) err.write('\r\x1b[2K');
      shown = false;
    },
  };
}
