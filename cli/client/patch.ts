/**
 * `marina patch TYPE NAME -p PATCH [--type strategic|merge|json]` (or --patch-file; -f for the
 * objects of manifests). The patch is JSON or YAML. Strategic is the default, as kubectl's; a
 * custom resource takes merge or json. Prints `kind/name patched` (or `(no change)`).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { parse } from 'yaml';
import type { KubeObject } from '../../api/kinds/kind';
import { deepEqual } from '../../api/util/deepEqual';
import type { Cli } from './command';
import { collect } from './command';
import { dryRunOption, dryRunSuffix, parseDryRun } from './apply';
import { resourceLabel } from './discovery';
import { CliError, errorMessage, usageError } from './io';
import { formatObjects, parseOutputFormat } from './printers';
import { namespaceOf, selectObjects, targetPath } from './resources';

interface PatchOptions {
  readonly patch?: string;
  readonly patchFile?: string;
  readonly type: 'strategic' | 'merge' | 'json';
  readonly filename?: string[];
  readonly recursive?: boolean;
  readonly subresource?: string;
  readonly output?: string;
  readonly dryRun?: string | boolean;
}

const contentTypes = {
  strategic: 'application/strategic-merge-patch+json',
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
} as const;

/** The object less what changes on every write (resourceVersion, managedFields). */
/**
 * What "(no change)" compares: the object without its resourceVersion and managedFields, and
 * without status unless the status is what was patched (controllers write status at any time,
 * so a status that moved between the read and the patch is not this patch's change).
 */
function comparable(obj: KubeObject, withStatus: boolean): KubeObject {
  const { resourceVersion: _rv, managedFields: _mf, ...metadata } = obj.metadata ?? {};
  const { status: _status, ...rest } = obj as KubeObject & { status?: unknown };
  return withStatus ? { ...obj, metadata } : { ...rest, metadata };
}

export function patchCommand(cli: Cli): Command {
  const cmd = new Command('patch')
    .description('Update fields of a resource with a strategic merge patch, JSON merge patch or JSON patch')
    .argument('[type-and-name...]', 'TYPE NAME or TYPE/NAME')
    .option('-p, --patch <patch>', 'the patch (JSON or YAML)')
    .option('--patch-file <file>', 'a file holding the patch')
    .addOption(new Option('--type <type>', 'the patch type').choices(['strategic', 'merge', 'json']).default('strategic'))
    .option('-f, --filename <file>', 'the objects of these manifests', collect)
    .option('-R, --recursive', 'with -f DIR, read subdirectories too')
    .option('--subresource <name>', 'patch a subresource (status, scale)')
    .option('-o, --output <format>', 'json|yaml|name')
    .addOption(dryRunOption());
  return cli.verb<PatchOptions>(cmd, async (ctx) => {
    const opts = ctx.opts;
    if ((opts.patch === undefined) === (opts.patchFile === undefined)) throw usageError('exactly one of --patch (-p) or --patch-file is required');
    const format = parseOutputFormat(opts.output, ['json', 'yaml', 'name']);
    const dryRun = parseDryRun(opts.dryRun);
    const session = await ctx.session();
    const text = opts.patch ?? (await readFile(resolve(session.io.cwd, opts.patchFile!), 'utf8').catch((err: unknown) => {
      throw new CliError(`${opts.patchFile}: ${(err as Error).message}`);
    }));
    let body: unknown;
    try {
      body = parse(text);
    } catch (err) {
      throw usageError(`unable to parse "${text.slice(0, 80)}": ${(err as Error).message.split('\n')[0]}`);
    }
    if (opts.type === 'json' ? !Array.isArray(body) : typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw usageError(opts.type === 'json' ? 'a JSON patch must be a list of operations' : `a ${opts.type} patch must be an object`);
    }
    const targets = await selectObjects(session, ctx.args, opts);
    let failed = false;
    for (const t of targets) {
      try {
        const path = targetPath(t.resource, namespaceOf(session, t), t.name, opts.subresource);
        const before = dryRun === 'client' ? undefined : await session.client.get<KubeObject>(path);
        const after =
          dryRun === 'client'
            ? await session.client.get<KubeObject>(path)
            : await session.client.call<KubeObject>('PATCH', path, { rawBody: JSON.stringify(body), contentType: contentTypes[opts.type], ...(dryRun === 'server' ? { query: { dryRun: 'All' } } : {}) });
        const withStatus = opts.subresource === 'status';
        const same = before !== undefined && deepEqual(comparable(before, withStatus), comparable(after, withStatus));
        if (format.type === 'table') session.io.stdout.write(`${resourceLabel(t.resource)}/${t.name} patched${same ? ' (no change)' : ''}${dryRunSuffix(dryRun)}\n`);
        else session.io.stdout.write(formatObjects(format, [{ apiVersion: `${t.resource.group ? `${t.resource.group}/` : ''}${t.resource.version}`, kind: t.resource.kind, ...after }], { single: true }));
      } catch (err) {
        session.io.stderr.write(`error: ${t.source ? `${t.source}: ` : ''}${errorMessage(err)}\n`);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  });
}
