/**
 * What the server is: `api-resources` (its discovery, as kubectl's table), `version` (client
 * and server) and `cluster-info`.
 */
import { Command, Option } from 'commander';
import type { Cli } from './command';
import { apiVersionOf } from './discovery';
import { usageError, useColor } from './io';
import { alignColumns, toJson, toYaml } from './printers';

export const clientVersion = { major: '0', minor: '1', gitVersion: 'v0.1.0', platform: `${process.platform}/${process.arch}` };

interface ApiResourcesOptions {
  readonly output?: string;
  readonly namespaced?: boolean;
  readonly apiGroup?: string;
  readonly verbs?: string;
  /** false with --no-headers (commander's negatable flag). */
  readonly headers?: boolean;
  readonly sortBy?: string;
}

export function apiResourcesCommand(cli: Cli): Command {
  const cmd = new Command('api-resources')
    .description('List the resource types the server serves')
    .addOption(new Option('-o, --output <format>', 'wide or name').choices(['wide', 'name']))
    .addOption(new Option('--namespaced [bool]', 'only namespaced (true) or cluster-scoped (false) resources').argParser((v: string) => v !== 'false'))
    .option('--api-group <group>', 'only this API group ("" for the core group)')
    .option('--verbs <verbs>', 'only resources supporting these verbs (comma-separated)')
    .option('--no-headers', 'do not print headers')
    .addOption(new Option('--sort-by <field>', 'sort by name or kind').choices(['name', 'kind']));
  return cli.verb<ApiResourcesOptions>(cmd, async (ctx) => {
    const opts = ctx.opts;
    const session = await ctx.session();
    const mapper = await session.mapper();
    const verbs = opts.verbs ? opts.verbs.split(',') : [];
    let resources = mapper.resources.filter(
      (r) =>
        r.preferred &&
        (opts.namespaced === undefined || r.namespaced === opts.namespaced) &&
        (opts.apiGroup === undefined || r.group === opts.apiGroup) &&
        verbs.every((v) => r.verbs.includes(v)),
    );
    const key = opts.sortBy === 'kind' ? (r: (typeof resources)[number]) => r.kind : (r: (typeof resources)[number]) => r.resource;
    resources = opts.sortBy ? [...resources].sort((a, b) => key(a).localeCompare(key(b))) : resources;
    if (opts.output === 'name') {
      session.io.stdout.write(resources.map((r) => `${r.group ? `${r.resource}.${r.group}` : r.resource}\n`).join(''));
      return 0;
    }
    const wide = opts.output === 'wide';
    const header = ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])];
    const rows = resources.map((r) => [r.resource, r.shortNames.join(','), apiVersionOf(r), String(r.namespaced), r.kind, ...(wide ? [`[${r.verbs.join(' ')}]`, r.categories.join(',')] : [])]);
    session.io.stdout.write(alignColumns(opts.headers === false ? rows : [header, ...rows]));
    return 0;
  });
}

interface VersionOptions {
  readonly client?: boolean;
  readonly output?: string;
}

export function versionCommand(cli: Cli): Command {
  const cmd = new Command('version')
    .description('Print the client and server versions')
    .option('--client', 'only the client version (no server needed)')
    .addOption(new Option('-o, --output <format>', 'json or yaml').choices(['json', 'yaml']));
  return cli.verb<VersionOptions>(cmd, async (ctx) => {
    const io = ctx.io;
    const human = ctx.opts.output === undefined;
    // As kubectl: the client's version is printed even when the server cannot be reached.
    if (human) io.stdout.write(`Client Version: ${clientVersion.gitVersion}\n`);
    const out: Record<string, unknown> = { clientVersion };
    if (!ctx.opts.client) {
      const session = await ctx.session();
      out['serverVersion'] = await session.client.get<Record<string, unknown>>('/version');
    }
    if (ctx.opts.output === 'json') io.stdout.write(toJson(out));
    else if (ctx.opts.output === 'yaml') io.stdout.write(toYaml(out));
    else if (out['serverVersion']) io.stdout.write(`Server Version: ${(out['serverVersion'] as { gitVersion?: string }).gitVersion ?? 'unknown'}\n`);
    return 0;
  });
}

export function clusterInfoCommand(cli: Cli): Command {
  const cmd = new Command('cluster-info').description('Print the address of the control plane').argument('[dump]', 'not supported');
  return cli.verb<Record<string, never>>(cmd, async (ctx) => {
    if (ctx.args.length) throw usageError('cluster-info dump is not supported');
    const session = await ctx.session();
    // A request, so an unreachable server is an error here, not a cheerful line.
    const version = await session.client.get<{ gitVersion?: string }>('/version');
    const io = ctx.io;
    const color = (s: string, code: string) => (useColor(io) ? `\x1b[${code}m${s}\x1b[0m` : s);
    io.stdout.write(`${color('Kubernetes control plane', '32')} is running at ${color(session.client.server, '33')} (${version.gitVersion ?? 'unknown version'})\n`);
    return 0;
  });
}
