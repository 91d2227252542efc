/**
 * `marina config view|get-contexts|current-context|use-context|set-context`, over the same
 * kubeconfig files the other verbs read (--kubeconfig, else the files of $KUBECONFIG merged, else
 * ~/.kube/config). Changes go where kubectl writes them: the --kubeconfig file, else the first
 * existing file of $KUBECONFIG (the file defining the context, for set-context), keeping the
 * rest of the file (and its comments) as it was.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { parseDocument } from 'yaml';
import type { Cli } from './command';
import { kubeconfigPaths, loadKubeconfigDocument } from './context';
import { CliError, usageError, type Io } from './io';
import { alignColumns, toJson, toYaml } from './printers';

type Doc = Record<string, unknown>;
type Named = { name?: string; [k: string]: unknown };

const entries = (doc: Doc, list: string): Named[] => (Array.isArray(doc[list]) ? (doc[list] as Named[]) : []);

/** Secrets replaced as kubectl config view does without --raw. */
function redact(doc: Doc): Doc {
  const out = structuredClone(doc);
  for (const list of ['clusters', 'users']) {
    for (const e of entries(out, list)) {
      const inner = (e['cluster'] ?? e['user']) as Record<string, unknown> | undefined;
      if (!inner) continue;
      for (const k of ['certificate-authority-data', 'client-certificate-data', 'client-key-data']) if (inner[k]) inner[k] = 'DATA+OMITTED';
      for (const k of ['token', 'password']) if (inner[k]) inner[k] = 'REDACTED';
    }
  }
  return out;
}

/** Only the current context and what it names. */
function minify(doc: Doc): Doc {
  const name = String(doc['current-context'] ?? '');
  const context = entries(doc, 'contexts').find((c) => c.name === name);
  if (!context) throw new CliError(`current-context must exist in order to minify`);
  const inner = (context['context'] ?? {}) as { cluster?: string; user?: string };
  return {
    ...doc,
    contexts: [context],
    clusters: entries(doc, 'clusters').filter((c) => c.name === inner.cluster),
    users: entries(doc, 'users').filter((u) => u.name === inner.user),
  };
}

/** Edits the YAML of one kubeconfig file in place. */
async function editFile(path: string, edit: (doc: ReturnType<typeof parseDocument>) => void): Promise<void> {
  const text = existsSync(path) ? await readFile(path, 'utf8') : 'apiVersion: v1\nkind: Config\n';
  const doc = parseDocument(text);
  edit(doc);
  await writeFile(path, doc.toString(), { mode: 0o600 });
}

/** The file kubectl writes a change to (client-go's GetDefaultFilename). */
function defaultFile(io: Io, flag: string | undefined): string {
  const paths = kubeconfigPaths(io, flag);
  return paths.find((p) => existsSync(p)) ?? paths[paths.length - 1]!;
}

interface ConfigOptions {
  readonly kubeconfig?: string;
  readonly raw?: boolean;
  readonly minify?: boolean;
  readonly output?: string;
  /** false with --no-headers (commander's negatable flag). */
  readonly headers?: boolean;
  readonly current?: boolean;
  readonly namespace?: string;
  readonly cluster?: string;
  readonly user?: string;
}

export function configCommand(cli: Cli): Command {
  const config = new Command('config').description('Show or change kubeconfig files: view, get-contexts, current-context, use-context, set-context');
  const load = async (io: Io, opts: ConfigOptions) => (await loadKubeconfigDocument(io, opts.kubeconfig)).doc;
  config.addCommand(
    cli.verb<ConfigOptions>(new Command('view').description('Show the merged kubeconfig').option('--raw', 'show secrets').option('--minify', 'only the current context').addOption(new Option('-o, --output <format>', 'yaml or json').choices(['yaml', 'json']).default('yaml')), async (ctx) => {
      let doc = await load(ctx.io, ctx.opts);
      if (ctx.opts.minify) doc = minify(doc);
      if (!ctx.opts.raw) doc = redact(doc);
      ctx.io.stdout.write(ctx.opts.output === 'json' ? toJson(doc) : toYaml(doc));
    }),
  );
  config.addCommand(
    cli.verb<ConfigOptions>(new Command('get-contexts').description('List the contexts').argument('[name]').option('--no-headers', 'do not print headers').addOption(new Option('-o, --output <format>', 'name').choices(['name'])), async (ctx) => {
      const doc = await load(ctx.io, ctx.opts);
      let contexts = entries(doc, 'contexts');
      if (ctx.args[0]) {
        contexts = contexts.filter((c) => c.name === ctx.args[0]);
        if (!contexts.length) throw new CliError(`context ${ctx.args[0]} not found`);
      }
      if (ctx.opts.output === 'name') {
        ctx.io.stdout.write(contexts.map((c) => `${c.name}\n`).join(''));
        return;
      }
      const rows = contexts.map((c) => {
        const inner = (c['context'] ?? {}) as Record<string, string>;
        return [c.name === doc['current-context'] ? '*' : '', c.name ?? '', inner['cluster'] ?? '', inner['user'] ?? '', inner['namespace'] ?? ''];
      });
      ctx.io.stdout.write(alignColumns(ctx.opts.headers === false ? rows : [['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'], ...rows], 3, 10));
    }),
  );
  config.addCommand(
    cli.verb<ConfigOptions>(new Command('current-context').description('Print the current context'), async (ctx) => {
      const current = (await load(ctx.io, ctx.opts))['current-context'];
      if (!current) throw new CliError('current-context is not set');
      ctx.io.stdout.write(`${String(current)}\n`);
    }),
  );
  config.addCommand(
    cli.verb<ConfigOptions>(new Command('use-context').description('Set the current context').argument('[name]'), async (ctx) => {
      const name = ctx.args[0];
      if (!name) throw usageError('unexpected args: a context name is required');
      const doc = await load(ctx.io, ctx.opts);
      if (!entries(doc, 'contexts').some((c) => c.name === name)) throw new CliError(`no context exists with the name: "${name}"`);
      await editFile(defaultFile(ctx.io, ctx.opts.kubeconfig), (d) => d.set('current-context', name));
      ctx.io.stdout.write(`Switched to context "${name}".\n`);
    }),
  );
  config.addCommand(
    cli.verb<ConfigOptions>(
      new Command('set-context').description('Change a context (e.g. set-context --current --namespace=dev)').argument('[name]').option('--current', 'the current context').option('--cluster <name>').option('--user <name>'),
      async (ctx) => {
        const doc = await load(ctx.io, ctx.opts);
        const name = ctx.opts.current ? String(doc['current-context'] ?? '') : ctx.args[0];
        if (!name) throw usageError(ctx.opts.current ? 'no current context is set' : 'a context name (or --current) is required');
        // The file defining the context, else the default file.
        const paths = kubeconfigPaths(ctx.io, ctx.opts.kubeconfig);
        let file = defaultFile(ctx.io, ctx.opts.kubeconfig);
        for (const p of paths) {
          if (existsSync(p) && parseDocument(await readFile(p, 'utf8')).toJS()?.contexts?.some?.((c: Named) => c.name === name)) {
            file = p;
            break;
          }
        }
        const exists = entries(doc, 'contexts').some((c) => c.name === name);
        await editFile(file, (d) => {
          const contexts = (d.toJS() as Doc | null)?.['contexts'];
          const list = Array.isArray(contexts) ? (contexts as Named[]) : [];
          let index = list.findIndex((c) => c.name === name);
          if (index < 0) {
            d.set('contexts', d.createNode([...list, { name, context: {} }]));
            index = list.length;
          }
          for (const key of ['namespace', 'cluster', 'user'] as const) if (ctx.opts[key] !== undefined) d.setIn(['contexts', index, 'context', key], ctx.opts[key]);
        });
        ctx.io.stdout.write(`Context "${name}" ${exists ? 'modified' : 'created'}.\n`);
      },
    ),
  );
  return config;
}
