/**
 * `marina delete`: objects of -f manifests, TYPE NAME…, TYPE/NAME…, TYPE -l SELECTOR or TYPE --all;
 * --cascade=background|foreground|orphan, --grace-period, --now, --force; then waits until each
 * is gone (as kubectl: `--wait=false` returns at once, --timeout bounds the wait).
 */
import { Command } from 'commander';
import type { KubeObject } from '../../api/kinds/kind';
import { isStatusError } from '../../api/status';
import type { Cli } from './command';
import { boolOption, collect, parseDuration } from './command';
import { dryRunOption, dryRunSuffix, parseDryRun } from './apply';
import { qualifiedResource, resourceLabel } from './discovery';
import { CliError, errorMessage, usageError } from './io';
import { pollObject } from './poll';
import { namespaceOf, noResourcesFound, parseTargets, selectObjects, targetPath, type Target } from './resources';
import { formatMs } from './waitReady';

interface DeleteOptions {
  readonly filename?: string[];
  readonly recursive?: boolean;
  readonly selector?: string;
  readonly fieldSelector?: string;
  readonly all?: boolean;
  readonly allNamespaces?: boolean;
  readonly cascade: string;
  readonly gracePeriod?: string;
  readonly now?: boolean;
  readonly force?: boolean;
  readonly wait: boolean;
  readonly timeout: number;
  readonly ignoreNotFound?: boolean;
  readonly output?: string;
  readonly dryRun?: string | boolean;
}

const policies: Record<string, string> = { background: 'Background', true: 'Background', foreground: 'Foreground', orphan: 'Orphan', false: 'Orphan' };

export function deleteCommand(cli: Cli): Command {
  const cmd = new Command('delete')
    .description('Delete resources by file, type and name, or type and label selector, and wait until they are gone')
    .argument('[type-and-names...]', 'TYPE NAME…, TYPE/NAME… or TYPE with -l/--all')
    .option('-f, --filename <file>', 'the objects of these manifests (repeatable; - for stdin)', collect)
    .option('-R, --recursive', 'with -f DIR, read subdirectories too')
    .option('-l, --selector <selector>', 'label selector')
    .option('--field-selector <selector>', 'field selector')
    .option('--all', 'every object of the type in the namespace')
    .option('-A, --all-namespaces', 'with -l/--all, in every namespace')
    .option('--cascade <policy>', 'background, foreground or orphan (dependents)', 'background')
    .option('--grace-period <seconds>', 'seconds the object has to terminate (-1: its default)')
    .option('--now', 'signal immediate shutdown (grace period 1)')
    .option('--force', 'delete at once without waiting for termination (grace period 0)')
    .addOption(boolOption('--wait [bool]', 'wait until the objects are gone', true))
    .option('--timeout <duration>', 'how long to wait (0: no limit)', parseDuration, 0)
    .option('--ignore-not-found', 'no error for objects that do not exist')
    .option('-o, --output <format>', 'name: print kind/name of what was deleted')
    .addOption(dryRunOption());
  return cli.verb<DeleteOptions>(cmd, async (ctx) => {
    const opts = ctx.opts;
    const propagationPolicy = policies[opts.cascade];
    if (!propagationPolicy) throw usageError(`invalid cascade value (${opts.cascade}); must be "background", "foreground", or "orphan"`);
    if (opts.output !== undefined && opts.output !== 'name') throw usageError(`unexpected -o output mode: ${opts.output}; the only supported mode is name`);
    let grace = opts.gracePeriod === undefined ? -1 : Number(opts.gracePeriod);
    if (!Number.isInteger(grace)) throw usageError(`--grace-period must be an integer, not "${opts.gracePeriod}"`);
    if (opts.now) grace = 1;
    if (opts.force) grace = 0;
    const dryRun = parseDryRun(opts.dryRun);
    const session = await ctx.session();
    const targets = await selectObjects(session, ctx.args, opts);
    if (!targets.length) {
      const mapper = await session.mapper();
      session.io.stderr.write(noResourcesFound(session, ctx.args.length ? parseTargets(mapper, ctx.args).map((t) => t.resource) : [], opts.allNamespaces ?? false));
      return 0;
    }
    const deleted: { target: Target; uid: string | undefined }[] = [];
    let failed = false;
    for (const t of targets) {
      const path = targetPath(t.resource, namespaceOf(session, t), t.name);
      try {
        const body = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy, ...(grace >= 0 ? { gracePeriodSeconds: grace } : {}), ...(dryRun !== 'none' ? { dryRun: ['All'] } : {}) };
        let answer: KubeObject | undefined;
        if (dryRun !== 'client') answer = await session.client.call<KubeObject>('DELETE', path, { body, ...(dryRun === 'server' ? { query: { dryRun: 'All' } } : {}) });
        else await session.client.get(path);
        deleted.push({ target: t, uid: answer?.metadata?.uid });
        session.io.stdout.write(opts.output === 'name' ? `${resourceLabel(t.resource)}/${t.name}\n` : `${resourceLabel(t.resource)} "${t.name}" deleted${dryRunSuffix(dryRun)}\n`);
      } catch (err) {
        if (isStatusError(err, 404) && opts.ignoreNotFound) continue;
        session.io.stderr.write(`error: ${t.source ? `${t.source}: ` : ''}${errorMessage(err)}\n`);
        failed = true;
      }
    }
    if (opts.wait && dryRun === 'none') await waitGone(session, deleted, opts.timeout);
    return failed ? 1 : 0;
  });
}

async function waitGone(session: Parameters<typeof pollObject>[0], deleted: readonly { target: Target; uid: string | undefined }[], timeoutMs: number): Promise<void> {
  await Promise.all(
    deleted.map(async ({ target, uid }) => {
      const outcome = await pollObject(
        session,
        { resource: target.resource, namespace: namespaceOf(session, target), name: target.name! },
        (obj) => ({ done: !obj || (uid !== undefined && obj.metadata?.uid !== uid), message: `waiting for ${resourceLabel(target.resource)}/${target.name} to be deleted` }),
        { timeoutMs },
      );
      if (outcome.timedOut) {
        const finalizers = outcome.object?.metadata?.finalizers ?? [];
        throw new CliError(`timed out after ${formatMs(timeoutMs)} waiting for ${qualifiedResource(target.resource)}/${target.name} to be deleted${finalizers.length ? ` (finalizers: ${finalizers.join(', ')})` : ''}`);
      }
    }),
  );
}
