/**
 * `marina rollout status|history|undo|restart|pause|resume` for Deployments, with kubectl's
 * messages. A Deployment's history is its ReplicaSets, numbered by their
 * `deployment.kubernetes.io/revision` annotation; undo puts an earlier ReplicaSet's pod template
 * back (without its pod-template-hash label).
 */
import { Command } from 'commander';
import type { Deployment } from '../../api/kinds/apps/deployment';
import type { ReplicaSet } from '../../api/kinds/apps/replicaSet';
import { deepEqual } from '../../api/util/deepEqual';
import type { Cli } from './command';
import { boolOption, parseDuration } from './command';
import type { Session } from './context';
import { qualifiedResource, resourceLabel } from './discovery';
import { CliError, usageError } from './io';
import { pollObject, progress } from './poll';
import { toYaml } from './printers';
import { explainNotReady, readiness } from './readiness';
import { getObject, namespaceOf, parseTargets, targetPath, type Target } from './resources';
import { formatMs } from './waitReady';

const revisionAnnotation = 'deployment.kubernetes.io/revision';
const changeCauseAnnotation = 'kubernetes.io/change-cause';

/** The one Deployment a rollout subcommand is about. */
async function deploymentTarget(session: Session, args: readonly string[]): Promise<Target> {
  if (!args.length) throw usageError('required resource not specified (e.g. deployment/web)');
  const targets = parseTargets(await session.mapper(), args);
  const t = targets[0];
  if (targets.length !== 1 || !t || t.name === undefined) throw usageError('rollout takes exactly one TYPE NAME or TYPE/NAME');
  if (t.resource.kind !== 'Deployment') throw new CliError(`no rollout support for ${qualifiedResource(t.resource)} (only Deployments)`);
  return t;
}

const label = (t: Target) => `${resourceLabel(t.resource)}/${t.name}`;

/** The Deployment's ReplicaSets by revision, oldest first. */
async function history(session: Session, deployment: Deployment): Promise<{ revision: number; rs: ReplicaSet }[]> {
  const ns = deployment.metadata?.namespace ?? session.namespace;
  const { items } = await session.client.listAll<ReplicaSet>(`/apis/apps/v1/namespaces/${ns}/replicasets`);
  return items
    .filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.uid === deployment.metadata?.uid))
    .map((rs) => ({ revision: Number(rs.metadata?.annotations?.[revisionAnnotation] ?? 0), rs }))
    .filter((h) => h.revision > 0)
    .sort((a, b) => a.revision - b.revision);
}

function templateWithoutHash(rs: ReplicaSet): unknown {
  const template = structuredClone(rs.spec?.template ?? {}) as { metadata?: { labels?: Record<string, string> } };
  if (template.metadata?.labels) {
    delete template.metadata.labels['pod-template-hash'];
    if (!Object.keys(template.metadata.labels).length) delete template.metadata.labels;
  }
  return template;
}

function subcommand(cli: Cli, name: string, description: string, configure: (cmd: Command) => Command, run: (session: Session, t: Target, d: Deployment, opts: Record<string, unknown>) => Promise<number | void>): Command {
  const cmd = configure(new Command(name).description(description).argument('[type-and-name...]', 'deployment/NAME or deployment NAME'));
  return cli.verb<Record<string, unknown>>(cmd, async (ctx) => {
    const session = await ctx.session();
    const t = await deploymentTarget(session, ctx.args);
    const d = (await getObject(session, t.resource, namespaceOf(session, t), t.name!)) as Deployment;
    return run(session, t, d, ctx.opts);
  });
}

export function rolloutCommand(cli: Cli): Command {
  const rollout = new Command('rollout').description('Manage the rollout of a Deployment: status, history, undo, restart, pause, resume');
  const write = (session: Session, line: string) => session.io.stdout.write(`${line}\n`);

  rollout.addCommand(
    subcommand(cli, 'status', 'Show the status of the rollout (and wait for it to finish)', (c) => c.addOption(boolOption('-w, --watch [bool]', 'wait for the rollout to finish', true)).option('--timeout <duration>', 'how long to wait (0: no limit)', parseDuration, 0), async (session, t, d, opts) => {
      if (!opts['watch']) {
        const r = readiness(d);
        write(session, r.message);
        return r.ready ? 0 : 1;
      }
      const bar = progress(session);
      const tty = Boolean(session.io.stderr.isTTY);
      const timeoutMs = opts['timeout'] as number;
      const outcome = await pollObject(session, { resource: t.resource, namespace: namespaceOf(session, t), name: t.name! }, (obj) => {
        if (!obj) return { done: false, failed: true, message: `deployment "${t.name}" was deleted` };
        const r = readiness(obj);
        return { done: r.ready, ...(r.failed ? { failed: true } : {}), message: r.message };
      }, { timeoutMs, onProgress: (m) => (tty ? bar.update(m) : write(session, m)) });
      bar.clear();
      if (outcome.result.done) {
        if (tty) write(session, outcome.result.message);
        return 0;
      }
      const why = outcome.object ? await explainNotReady(session, outcome.object) : [];
      const head = outcome.timedOut ? `timed out after ${formatMs(timeoutMs)} waiting for the rollout to finish` : outcome.result.message;
      throw new CliError([head, ...(outcome.timedOut ? [outcome.result.message] : []), ...why].join('; '));
    }),
  );

  rollout.addCommand(
    subcommand(cli, 'history', 'Show the revisions of a Deployment', (c) => c.option('--revision <n>', 'show the pod template of this revision'), async (session, t, d, opts) => {
      const revisions = await history(session, d);
      if (opts['revision'] !== undefined) {
        const wanted = Number(opts['revision']);
        const h = revisions.find((r) => r.revision === wanted);
        if (!h) throw new CliError(`unable to find the specified revision ${String(opts['revision'])}`);
        write(session, `${label(t)} with revision #${wanted}\nPod Template:\n${toYaml(templateWithoutHash(h.rs)).replace(/^/gm, '  ').trimEnd()}`);
        return 0;
      }
      const rows = revisions.map((h) => [String(h.revision), h.rs.metadata?.annotations?.[changeCauseAnnotation] ?? '<none>']);
      const width = Math.max(8, ...rows.map((r) => r[0]!.length)) + 2;
      session.io.stdout.write(`${label(t)} \n${['REVISION', ...rows.map((r) => r[0]!)].map((c, i) => c.padEnd(width) + (i === 0 ? 'CHANGE-CAUSE' : rows[i - 1]![1]!)).join('\n')}\n\n`);
      return 0;
    }),
  );

  rollout.addCommand(
    subcommand(cli, 'undo', 'Roll back to the previous (or --to-revision) revision', (c) => c.option('--to-revision <n>', 'the revision to roll back to (0: the previous one)', '0'), async (session, t, d, opts) => {
      if (d.spec?.paused) throw new CliError(`you cannot rollback a paused deployment; resume it first with 'marina rollout resume ${label(t)}' and try again`);
      const revisions = await history(session, d);
      const wanted = Number(opts['toRevision']);
      if (!Number.isInteger(wanted) || wanted < 0) throw usageError(`--to-revision must be a non-negative integer`);
      let target: ReplicaSet | undefined;
      if (wanted === 0) {
        if (revisions.length < 2) throw new CliError(`no rollout history found for deployment "${t.name}"`);
        target = revisions[revisions.length - 2]!.rs;
      } else {
        target = revisions.find((r) => r.revision === wanted)?.rs;
        if (!target) throw new CliError(`unable to find specified revision ${wanted} in history`);
      }
      const template = templateWithoutHash(target);
      if (deepEqual(template, d.spec?.template)) {
        write(session, `${label(t)} skipped rollback (current template already matches revision ${target.metadata?.annotations?.[revisionAnnotation] ?? ''})`);
        return 0;
      }
      // As kubectl's rollbacker: the template replaced, no resourceVersion test (the controller's
      // status updates meanwhile are not a reason to fail).
      const patch = [{ op: 'replace', path: '/spec/template', value: template }];
      await session.client.patch(targetPath(t.resource, namespaceOf(session, t), t.name), patch, 'json');
      write(session, `${label(t)} rolled back`);
      return 0;
    }),
  );

  rollout.addCommand(
    subcommand(cli, 'restart', 'Restart the pods of a Deployment (a new rollout)', (c) => c, async (session, t, d) => {
      if (d.spec?.paused) throw new CliError(`can't restart paused deployment (run rollout resume first)`);
      const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } };
      await session.client.call('PATCH', targetPath(t.resource, namespaceOf(session, t), t.name), { body: patch, contentType: 'application/strategic-merge-patch+json' });
      write(session, `${label(t)} restarted`);
    }),
  );

  for (const [name, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    rollout.addCommand(
      subcommand(cli, name, paused ? 'Mark a Deployment paused (changes to it are not rolled out)' : 'Resume a paused Deployment', (c) => c, async (session, t, d) => {
        if (Boolean(d.spec?.paused) === paused) throw new CliError(`${qualifiedResource(t.resource)} "${t.name}" is ${paused ? 'already paused' : 'not paused'}`);
        await session.client.patch(targetPath(t.resource, namespaceOf(session, t), t.name), { spec: { paused } }, 'merge');
        write(session, `${label(t)} ${paused ? 'paused' : 'resumed'}`);
      }),
    );
  }
  return rollout;
}
