/**
 * `marina wait --for=condition=C[=value] | --for=delete | --for=jsonpath='{…}'[=value]
 * (TYPE NAME… | TYPE/NAME… | -f | -l) [--timeout 30s]`, as kubectl's: every object in parallel,
 * `kind/name condition met` for each, `error: timed out waiting for the condition on kinds/name`.
 */
import { Command } from 'commander';
import type { KubeObject } from '../../api/kinds/kind';
import type { Cli } from './command';
import { collect, parseDuration } from './command';
import { qualifiedResource, resourceLabel } from './discovery';
import { CliError, usageError } from './io';
import { JsonPath, formatValue, relaxedTemplate } from './jsonpath';
import { pollObject, type Check } from './poll';
import { conditionsOf } from './readiness';
import { namespaceOf, selectObjects } from './resources';

interface WaitOptions {
  readonly for?: string;
  readonly timeout: number;
  readonly filename?: string[];
  readonly recursive?: boolean;
  readonly selector?: string;
  readonly fieldSelector?: string;
  readonly all?: boolean;
  readonly allNamespaces?: boolean;
}

/** What --for asks, as a check of the object (undefined: it does not exist) and the word printed when met. */
export function parseFor(spec: string): { check: Check; met: string } {
  if (spec === 'delete') return { check: (obj) => ({ done: !obj, message: 'waiting for deletion' }), met: 'condition met' };
  if (spec.startsWith('condition=')) {
    const rest = spec.slice('condition='.length);
    const eq = rest.indexOf('=');
    const type = eq < 0 ? rest : rest.slice(0, eq);
    const want = eq < 0 ? 'true' : rest.slice(eq + 1);
    if (!type) throw usageError('--for=condition= needs a condition type (e.g. condition=Available)');
    return {
      check: (obj) => {
        const c = obj && conditionsOf(obj).find((x) => x.type?.toLowerCase() === type.toLowerCase());
        return { done: c?.status?.toLowerCase() === want.toLowerCase(), message: `waiting for condition ${type}=${want}` };
      },
      met: 'condition met',
    };
  }
  if (spec.startsWith('jsonpath=')) {
    const rest = spec.slice('jsonpath='.length);
    // The expression ends at the `}` (or the first `=` outside braces for the relaxed form).
    const close = rest.startsWith('{') ? rest.indexOf('}') + 1 : rest.indexOf('=') < 0 ? rest.length : rest.indexOf('=');
    const expr = rest.slice(0, close);
    const want = close < rest.length && rest[close] === '=' ? rest.slice(close + 1) : undefined;
    let path: JsonPath;
    try {
      path = new JsonPath(relaxedTemplate(expr), { allowMissingKeys: true });
    } catch (err) {
      throw usageError(`invalid --for jsonpath ${expr}: ${(err as Error).message}`);
    }
    return {
      check: (obj) => {
        const values = obj ? path.results(obj).flat().filter((v) => v !== undefined) : [];
        const done = want === undefined ? values.length > 0 : values.length > 0 && values.every((v) => formatValue(v) === want);
        return { done, message: `waiting for ${expr}${want === undefined ? '' : `=${want}`}` };
      },
      met: 'condition met',
    };
  }
  throw usageError(`unrecognized condition: "${spec}" (use condition=NAME[=value], delete or jsonpath='{…}'[=value])`);
}

export function waitCommand(cli: Cli): Command {
  const cmd = new Command('wait')
    .description('Wait for a condition on one or many resources: --for=condition=X[=v] | delete | jsonpath=…[=v]')
    .argument('[type-and-names...]', 'TYPE NAME…, TYPE/NAME…, or TYPE with -l/--all')
    .requiredOption('--for <condition>', 'condition=NAME[=value], delete, or jsonpath=\'{…}\'[=value]')
    .option('--timeout <duration>', 'how long to wait', parseDuration, 30_000)
    .option('-f, --filename <file>', 'the objects of these manifests', collect)
    .option('-R, --recursive', 'with -f DIR, read subdirectories too')
    .option('-l, --selector <selector>', 'label selector')
    .option('--field-selector <selector>', 'field selector')
    .option('--all', 'every object of the type in the namespace')
    .option('-A, --all-namespaces', 'in every namespace');
  return cli.verb<WaitOptions>(cmd, async (ctx) => {
    const { check, met } = parseFor(ctx.opts.for ?? '');
    const session = await ctx.session();
    const targets = await selectObjects(session, ctx.args, ctx.opts);
    if (!targets.length) throw new CliError('no matching resources found');
    const isDelete = ctx.opts.for === 'delete';
    const results = await Promise.all(
      targets.map(async (t) => {
        let uid: string | undefined;
        // For delete, a new object of the same name is not the one waited for.
        const outcome = await pollObject(session, { resource: t.resource, namespace: namespaceOf(session, t), name: t.name! }, (obj: KubeObject | undefined) => {
          uid ??= obj?.metadata?.uid;
          if (isDelete) return { done: !obj || obj.metadata?.uid !== uid, message: 'waiting for deletion' };
          return check(obj);
        }, { timeoutMs: ctx.opts.timeout });
        return { t, outcome };
      }),
    );
    let failed = false;
    for (const { t, outcome } of results) {
      if (outcome.result.done) session.io.stdout.write(`${resourceLabel(t.resource)}/${t.name} ${met}\n`);
      else {
        session.io.stderr.write(`error: timed out waiting for the condition on ${qualifiedResource(t.resource)}/${t.name}\n`);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  });
}
