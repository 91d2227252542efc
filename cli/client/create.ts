/**
 * `marina create -f FILE`, `create namespace NAME`, `create configmap NAME` and `create secret
 * generic NAME` (--from-literal=k=v, --from-file=[k=]path, --from-env-file), as kubectl's.
 * `-o yaml --dry-run=client` prints the object without sending it (the usual way to write one).
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Command } from 'commander';
import type { KubeObject } from '../../api/kinds/kind';
import type { Cli } from './command';
import { collect } from './command';
import { dryRunOption, dryRunSuffix, parseDryRun } from './apply';
import { describeSource, placeObjects } from './applyObject';
import type { Session } from './context';
import { apiVersionOf } from './discovery';
import { CliError, errorMessage, usageError } from './io';
import { readManifests } from './manifests';
import { formatObjects, objectName, parseOutputFormat } from './printers';
import { targetPath } from './resources';

interface CreateOptions {
  readonly filename?: string[];
  readonly recursive?: boolean;
  readonly output?: string;
  readonly dryRun?: string | boolean;
}

interface DataOptions extends CreateOptions {
  readonly fromLiteral?: string[];
  readonly fromFile?: string[];
  readonly fromEnvFile?: string[];
  readonly type?: string;
}

/** Sends (or, for a client dry run, just prints) one object; prints `kind/name created`. */
async function createOne(session: Session, obj: KubeObject, opts: CreateOptions, source?: string): Promise<void> {
  const dryRun = parseDryRun(opts.dryRun);
  const format = parseOutputFormat(opts.output, ['json', 'yaml', 'name']);
  const [p] = await placeObjects(session, [{ object: obj, source: source ?? 'command line' }]);
  let created: KubeObject = obj;
  if (dryRun !== 'client') {
    try {
      created = await session.client.create<KubeObject>(targetPath(p!.resource, p!.namespace), created, dryRun === 'server' ? { dryRun: 'All' } : undefined);
    } catch (err) {
      throw new CliError(source ? `${describeSource(p!)}: ${errorMessage(err)}` : errorMessage(err));
    }
  }
  const full = { apiVersion: apiVersionOf(p!.resource), kind: p!.resource.kind, ...created };
  if (format.type === 'table') session.io.stdout.write(`${objectName(full, p!.resource)} created${dryRunSuffix(dryRun)}\n`);
  else session.io.stdout.write(formatObjects(format, [full], { single: true }));
}

/** The data of a ConfigMap or Secret from --from-literal, --from-file and --from-env-file. */
export async function collectData(cwd: string, opts: DataOptions): Promise<Record<string, string>> {
  const data: Record<string, string> = {};
  const put = (k: string, v: string) => {
    if (!/^[-._a-zA-Z0-9]+$/.test(k)) throw usageError(`"${k}" is not a valid key name: a valid key must consist of alphanumeric characters, '-', '_' or '.'`);
    if (k in data) throw usageError(`cannot add key ${k}, another key by that name already exists`);
    data[k] = v;
  };
  for (const lit of opts.fromLiteral ?? []) {
    const eq = lit.indexOf('=');
    if (eq <= 0) throw usageError(`invalid literal source ${lit}, expected key=value`);
    put(lit.slice(0, eq), lit.slice(eq + 1));
  }
  const read = (path: string) =>
    readFile(resolve(cwd, path), 'utf8').catch((err: unknown) => {
      throw new CliError(`${path}: ${(err as Error).message}`);
    });
  for (const spec of opts.fromFile ?? []) {
    const eq = spec.indexOf('=');
    const [key, path] = eq > 0 ? [spec.slice(0, eq), spec.slice(eq + 1)] : [basename(spec), spec];
    put(key, await read(path));
  }
  for (const path of opts.fromEnvFile ?? []) {
    for (const line of (await read(path)).split('\n')) {
      const text = line.trim();
      if (!text || text.startsWith('#')) continue;
      const eq = text.indexOf('=');
      if (eq <= 0) throw usageError(`${path}: "${text}" is not a KEY=VALUE line`);
      put(text.slice(0, eq), text.slice(eq + 1));
    }
  }
  return data;
}

function withOutputFlags(cmd: Command): Command {
  return cmd.option('-o, --output <format>', 'json|yaml|name').addOption(dryRunOption());
}

function dataFlags(cmd: Command): Command {
  return withOutputFlags(cmd)
    .option('--from-literal <key=value>', 'a key and its value (repeatable)', collect)
    .option('--from-file <[key=]path>', 'a file\'s content, keyed by its name or the given key (repeatable)', collect)
    .option('--from-env-file <path>', 'KEY=VALUE lines of a file (repeatable)', collect);
}

export function createCommand(cli: Cli): Command {
  const create = cli.verb<CreateOptions>(
    withOutputFlags(new Command('create').description('Create resources from files (-f) or: namespace, configmap, secret generic').option('-f, --filename <file>', 'manifests to create (repeatable; - for stdin)', collect).option('-R, --recursive', 'with -f DIR, read subdirectories too')),
    async (ctx) => {
      if (!ctx.opts.filename?.length) throw usageError('must specify -f or a subcommand (namespace, configmap, secret generic)');
      const session = await ctx.session();
      let failed = false;
      for (const m of await readManifests(session.io, ctx.opts.filename, { recursive: ctx.opts.recursive ?? false })) {
        try {
          await createOne(session, m.object, ctx.opts, m.source);
        } catch (err) {
          session.io.stderr.write(`error: ${errorMessage(err)}\n`);
          failed = true;
        }
      }
      return failed ? 1 : 0;
    },
  );
  const name = (args: readonly string[]) => {
    if (args.length !== 1) throw usageError('exactly one NAME is required');
    return args[0]!;
  };
  create.addCommand(
    cli.verb<CreateOptions>(withOutputFlags(new Command('namespace').alias('ns').description('Create a namespace').argument('[name]')), async (ctx) => {
      const session = await ctx.session();
      await createOne(session, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: name(ctx.args) } }, ctx.opts);
    }),
  );
  create.addCommand(
    cli.verb<DataOptions>(dataFlags(new Command('configmap').alias('cm').description('Create a ConfigMap from literals and files').argument('[name]')), async (ctx) => {
      const session = await ctx.session();
      const data = await collectData(session.io.cwd, ctx.opts);
      await createOne(session, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: name(ctx.args) }, data }, ctx.opts);
    }),
  );
  const secret = new Command('secret').description('Create a Secret (generic)');
  secret.addCommand(
    cli.verb<DataOptions>(dataFlags(new Command('generic').description('Create a Secret from literals and files').argument('[name]').option('--type <type>', 'the Secret type', 'Opaque')), async (ctx) => {
      const session = await ctx.session();
      const data = await collectData(session.io.cwd, ctx.opts);
      const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
      await createOne(session, { apiVersion: 'v1', kind: 'Secret', metadata: { name: name(ctx.args) }, type: ctx.opts.type ?? 'Opaque', data: encoded }, ctx.opts);
    }),
  );
  create.addCommand(secret);
  // A subcommand's own flags (-o, --dry-run) are its own, not the parent's of the same name.
  create.enablePositionalOptions();
  secret.enablePositionalOptions();
  return create;
}
