/**
 * `marina apply -f FILE|DIR|-|URL [-R]`: every object of the manifests, applied in order
 * (client-side three-way apply, or --server-side), then with --wait until each is ready.
 *
 * All or nothing where it can be: every document is parsed and mapped to a resource before
 * anything is sent, and with several objects each is first sent as a server dry run, so a bad
 * object (a YAML error, an unknown kind, a value the server rejects) changes nothing. Every error is
 * one line naming the file and the object.
 */
import { Command, Option } from 'commander';
import { isStatusError } from '../../api/status';
import type { Cli } from './command';
import { boolOption, collect, parseDuration } from './command';
import type { Session } from './context';
import { CliError, errorMessage, usageError } from './io';
import { readManifests } from './manifests';
import { applyObject, describeSource, placeObjects, type ApplyResult, type DryRun, type PlacedObject } from './applyObject';
import { formatObjects, objectName, parseOutputFormat, type OutputFormat } from './printers';
import { waitAllReady } from './waitReady';

interface ApplyOptions {
  readonly filename?: string[];
  readonly recursive?: boolean;
  readonly serverSide?: boolean;
  readonly forceConflicts?: boolean;
  readonly fieldManager: string;
  readonly dryRun?: string | boolean;
  readonly wait: boolean;
  readonly timeout: number;
  readonly output?: string;
}

/** `--dry-run[=client|server|none]`, as kubectl (a bare --dry-run is client). */
export function dryRunOption(): Option {
  return new Option('--dry-run [strategy]', 'client: print what would be sent without sending it; server: let the server check it without persisting').choices(['none', 'client', 'server']);
}

export function parseDryRun(value: string | boolean | undefined): DryRun {
  if (value === undefined || value === false || value === 'none') return 'none';
  if (value === true || value === 'client') return 'client';
  if (value === 'server') return 'server';
  throw usageError(`invalid dry-run value (${String(value)}); must be "none", "server", or "client"`);
}

export function dryRunSuffix(dryRun: DryRun): string {
  return dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
}

export function applyCommand(cli: Cli): Command {
  const cmd = new Command('apply')
    .description('Apply a configuration to resources from files, directories (-R), URLs or stdin (-f -)')
    .option('-f, --filename <file>', 'a manifest file, directory, URL or - for stdin (repeatable)', collect)
    .option('-R, --recursive', 'with -f DIR, read subdirectories too')
    .option('--server-side', 'apply on the server (an apply patch) instead of the three-way client-side apply')
    .option('--force-conflicts', 'with --server-side, take over fields other managers own')
    .option('--field-manager <name>', 'the field manager of a server-side apply', 'marina')
    .addOption(dryRunOption())
    .addOption(boolOption('--wait [bool]', 'wait until every object is ready (Deployments rolled out, Jobs complete)', false))
    .option('--timeout <duration>', 'how long --wait waits (e.g. 30s, 5m)', parseDuration, 300_000)
    .option('-o, --output <format>', 'json|yaml|name');
  return cli.verb<ApplyOptions>(cmd, async (ctx) => {
    const opts = ctx.opts;
    if (!opts.filename?.length) throw usageError('must specify -f (a file, directory, URL, or - for stdin)');
    if (ctx.args.length) throw usageError(`unexpected arguments: ${ctx.args.join(' ')}`);
    const dryRun = parseDryRun(opts.dryRun);
    const format = parseOutputFormat(opts.output, ['json', 'yaml', 'name']);
    const session = await ctx.session();
    const manifests = await readManifests(session.io, opts.filename, { recursive: opts.recursive ?? false });
    if (!manifests.length) throw new CliError('no objects passed to apply');
    const placed = await placeObjects(session, manifests);
    const objectOptions = { serverSide: opts.serverSide ?? false, forceConflicts: opts.forceConflicts ?? false, fieldManager: opts.fieldManager, dryRun };
    if (placed.length > 1 && dryRun === 'none') await preflight(session, placed, objectOptions);
    const results: ApplyResult[] = [];
    let failed = false;
    for (const p of placed) {
      try {
        const result = await applyObject(session, p, objectOptions);
        results.push(result);
        if (format.type === 'table') session.io.stdout.write(`${objectName(result.object, p.resource)} ${result.action}${dryRunSuffix(dryRun)}\n`);
      } catch (err) {
        session.io.stderr.write(`error: ${describeSource(p)}: ${errorMessage(err)}\n`);
        failed = true;
      }
    }
    if (format.type !== 'table') printResults(session, format, results);
    if (failed) return 1;
    if (opts.wait && dryRun === 'none') {
      const targets = placed.map((p) => ({ resource: p.resource, namespace: p.namespace, name: p.name, label: describeSource(p) }));
      const human = format.type === 'table';
      await waitAllReady(session, targets, opts.timeout, (line) => human && session.io.stdout.write(`${line}\n`));
    }
    return 0;
  });
}

function printResults(session: Session, format: OutputFormat, results: readonly ApplyResult[]): void {
  if (!results.length) return;
  session.io.stdout.write(formatObjects(format, results.map((r) => r.object), { single: results.length === 1 }));
}

/**
 * Sends every object as a server dry run first; reports every failure and throws if any, so
 * nothing is changed. An object whose namespace is created by the same apply cannot be checked
 * before that namespace exists: its 404 is not a failure.
 */
async function preflight(session: Session, placed: readonly PlacedObject[], options: Parameters<typeof applyObject>[2]): Promise<void> {
  const creates = new Set(placed.filter((p) => p.resource.kind === 'Namespace' && p.resource.group === '').map((p) => p.name));
  const failures: string[] = [];
  for (const p of placed) {
    try {
      await applyObject(session, p, { ...options, dryRun: 'server' });
    } catch (err) {
      if (isStatusError(err, 404) && p.namespace !== undefined && creates.has(p.namespace)) continue;
      failures.push(`${describeSource(p)}: ${errorMessage(err)}`);
    }
  }
  if (!failures.length) return;
  for (const f of failures.slice(0, -1)) session.io.stderr.write(`error: ${f}\n`);
  throw new CliError(failures[failures.length - 1]!);
}
