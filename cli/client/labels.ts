/**
 * `marina label` and `marina annotate`: `TYPE NAME… KEY=VALUE… KEY-…` (or -f, -l, --all), as
 * kubectl's: changing an existing value needs --overwrite, `KEY-` removes a key, `--list` prints
 * them. Sent as a JSON merge patch of just those keys (with --resource-version, only if the
 * object is still at that version).
 */
import { Command } from 'commander';
import type { KubeObject } from '../../api/kinds/kind';
import type { Cli } from './command';
import { collect } from './command';
import { dryRunOption, dryRunSuffix, parseDryRun } from './apply';
import { resourceLabel } from './discovery';
import { CliError, errorMessage, usageError } from './io';
import { formatObjects, parseOutputFormat } from './printers';
import { getObject, namespaceOf, selectObjects, targetPath } from './resources';

interface MetaOptions {
  readonly overwrite?: boolean;
  readonly list?: boolean;
  readonly filename?: string[];
  readonly recursive?: boolean;
  readonly selector?: string;
  readonly all?: boolean;
  readonly allNamespaces?: boolean;
  readonly resourceVersion?: string;
  readonly output?: string;
  readonly dryRun?: string | boolean;
}

/** Splits arguments into resource arguments and changes (`k=v` sets, `k-` removes). */
export function parseChanges(args: readonly string[]): { resources: string[]; set: Record<string, string>; remove: string[] } {
  const resources: string[] = [];
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq > 0) set[a.slice(0, eq)] = a.slice(eq + 1);
    else if (a.endsWith('-') && a.length > 1 && !a.includes('/')) remove.push(a.slice(0, -1));
    else if (Object.keys(set).length || remove.length) throw usageError(`all resources must be specified before the changes: ${a}`);
    else resources.push(a);
  }
  return { resources, set, remove };
}

function metaCommand(cli: Cli, field: 'labels' | 'annotations'): Command {
  const verb = field === 'labels' ? 'label' : 'annotate';
  const done = field === 'labels' ? 'labeled' : 'annotated';
  const cmd = new Command(verb)
    .description(`Update the ${field} of resources: TYPE NAME KEY=VALUE… KEY-…`)
    .argument('[args...]', 'TYPE NAME… (or TYPE/NAME…) then KEY=VALUE or KEY- changes')
    .option('--overwrite', `allow changing ${field} that already have a value`)
    .option('--list', `print the ${field} of each object`)
    .option('-f, --filename <file>', 'the objects of these manifests', collect)
    .option('-R, --recursive', 'with -f DIR, read subdirectories too')
    .option('-l, --selector <selector>', 'label selector')
    .option('--all', 'every object of the type in the namespace')
    .option('-A, --all-namespaces', 'with -l/--all, in every namespace')
    .option('--resource-version <rv>', 'only if the object is still at this resourceVersion')
    .option('-o, --output <format>', 'json|yaml|name')
    .addOption(dryRunOption());
  return cli.verb<MetaOptions>(cmd, async (ctx) => {
    const opts = ctx.opts;
    const { resources, set, remove } = parseChanges(ctx.args);
    if (!opts.list && !Object.keys(set).length && !remove.length) throw usageError(`at least one ${field === 'labels' ? 'label' : 'annotation'} update is required`);
    const format = parseOutputFormat(opts.output, ['json', 'yaml', 'name']);
    const dryRun = parseDryRun(opts.dryRun);
    const session = await ctx.session();
    const targets = await selectObjects(session, resources, opts);
    let failed = false;
    for (const t of targets) {
      try {
        const ns = namespaceOf(session, t);
        const obj = await getObject(session, t.resource, ns, t.name!);
        const current = (obj.metadata?.[field] ?? {}) as Record<string, string>;
        if (opts.list) {
          for (const k of Object.keys(current).sort()) session.io.stdout.write(`${k}=${current[k]}\n`);
          continue;
        }
        for (const [k, v] of Object.entries(set)) {
          if (current[k] !== undefined && current[k] !== v && !opts.overwrite) throw new CliError(`'${k}' already has a value (${current[k]}), and --overwrite is false`);
        }
        const changes: Record<string, string | null> = { ...set };
        for (const k of remove) if (current[k] !== undefined) changes[k] = null;
        const patch = { metadata: { [field]: changes, ...(opts.resourceVersion ? { resourceVersion: opts.resourceVersion } : {}) } };
        const unchanged = Object.entries(changes).every(([k, v]) => (v === null ? current[k] === undefined : current[k] === v));
        let result: KubeObject = obj;
        if (!unchanged && dryRun !== 'client') {
          result = await session.client.patch<KubeObject>(targetPath(t.resource, ns, t.name), patch, 'merge', dryRun === 'server' ? { dryRun: 'All' } : undefined);
        }
        if (format.type === 'table') session.io.stdout.write(`${resourceLabel(t.resource)}/${t.name} ${unchanged ? `not ${done}` : done}${dryRunSuffix(dryRun)}\n`);
        else session.io.stdout.write(formatObjects(format, [{ apiVersion: obj.apiVersion, kind: obj.kind, ...result }], { single: true }));
      } catch (err) {
        session.io.stderr.write(`error: ${t.source ? `${t.source}: ` : ''}${errorMessage(err)}\n`);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  });
}

export const labelCommand = (cli: Cli): Command => metaCommand(cli, 'labels');
export const annotateCommand = (cli: Cli): Command => metaCommand(cli, 'annotations');
