/**
 * `apply --wait`: waits until every applied object is ready (Deployments rolled out, Jobs
 * complete, other kinds exist), all in parallel under one deadline. The first object that fails
 * for good (a failed Job, a Deployment past its progress deadline) ends the wait at once; on a
 * failure or a timeout the error names the object and says why in one line: its readiness
 * message, its conditions and its last events (and those of the pods it owns).
 */
import type { Session } from './context';
import { resourceLabel } from './discovery';
import { CliError } from './io';
import { pollObject, progress, type PollTarget } from './poll';
import { explainNotReady, hasReadiness, readiness } from './readiness';

export interface ReadyTarget extends PollTarget {
  /** How errors name it: `deploy.yaml: Deployment "web"`. */
  readonly label: string;
}

/** Resolves when all are ready; throws a CliError for the first that failed or was not ready in time. */
export async function waitAllReady(session: Session, targets: readonly ReadyTarget[], timeoutMs: number, report: (line: string) => void): Promise<void> {
  const waiting = targets.filter((t) => hasReadiness(t.resource.kind));
  if (!waiting.length) return;
  const bar = progress(session);
  const messages = new Map<ReadyTarget, string>();
  const show = () => bar.update([...messages.values()].find(Boolean) ?? 'waiting');
  const controller = new AbortController();
  const failures: Error[] = [];
  try {
    await Promise.all(
      waiting.map(async (t) => {
        const outcome = await pollObject(
          { ...session, io: { ...session.io, signal: anySignal(session.io.signal, controller.signal) } },
          t,
          (obj) => (obj ? { ...readiness(obj), done: readiness(obj).ready } : { done: false, message: `waiting for ${resourceLabel(t.resource)}/${t.name} to exist` }),
          {
            timeoutMs,
            onProgress: (m) => {
              messages.set(t, m);
              show();
            },
          },
        ).catch((err: unknown) => {
          if (controller.signal.aborted && failures.length) return undefined;
          throw err;
        });
        if (!outcome) return;
        messages.delete(t);
        if (outcome.result.done) {
          bar.clear();
          report(`${resourceLabel(t.resource)}/${t.name} ready`);
          show();
          return;
        }
        const why = outcome.object ? await explainNotReady(session, outcome.object) : [];
        const head = outcome.timedOut ? `${t.label} not ready after ${formatMs(timeoutMs)}` : `${t.label} failed`;
        failures.push(new CliError([`${head}: ${outcome.result.message}`, ...why].join('; ')));
        controller.abort();
      }),
    );
  } finally {
    bar.clear();
  }
  if (failures.length) throw failures[0]!;
}

export function formatMs(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  return AbortSignal.any([a, b]);
}
