/**
 * `marina scale --replicas=N TYPE NAME` (or -f, -l, --all): through the scale subresource, so
 * any kind that has one works; `--current-replicas` makes it conditional, as kubectl's.
 */
import { Command } from 'commander';
import { isStatusError } from '../../api/status';
import type { Cli } from './command';
import { collect } from './command';
import { qualifiedResource, resourceLabel } from './discovery';
import { CliError, errorMessage, usageError } from './io';
import { namespaceOf, selectObjects, targetPath } from './resources';

interface ScaleOptions {
  readonly replicas?: string;
  readonly currentReplicas?: string;
  readonly filename?: string[];
  readonly recursive?: boolean;
  readonly selector?: string;
  readonly all?: boolean;
}

interface Scale {
  readonly metadata?: { readonly resourceVersion?: string };
  readonly spec?: { readonly replicas?: number };
}

function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw usageError(`${flag} must be a non-negative integer, not "${value}"`);
  return n;
}

export function scaleCommand(cli: Cli): Command {
  const cmd = new Command('scale')
    .description('Set a new size for a Deployment, ReplicaSet, StatefulSet or anything with a scale subresource')
    .argument('[type-and-names...]', 'TYPE NAME… or TYPE/NAME…')
    .option('--replicas <n>', 'the new number of replicas')
    .option('--current-replicas <n>', 'only scale if the current size is this')
    .option('-f, --filename <file>', 'the objects of these manifests', collect)
    .option('-R, --recursive', 'with -f DIR, read subdirectories too')
    .option('-l, --selector <selector>', 'label selector')
    .option('--all', 'every object of the type in the namespace');
  return cli.verb<ScaleOptions>(cmd, async (ctx) => {
    const replicas = count(ctx.opts.replicas, '--replicas');
    if (replicas === undefined) throw usageError('required flag(s) "replicas" not set');
    const current = count(ctx.opts.currentReplicas, '--current-replicas');
    const session = await ctx.session();
    const targets = await selectObjects(session, ctx.args, ctx.opts);
    let failed = false;
    for (const t of targets) {
      const path = targetPath(t.resource, namespaceOf(session, t), t.name, 'scale');
      try {
        if (!t.resource.subresources.includes('scale')) throw new CliError(`${qualifiedResource(t.resource)} "${t.name}" cannot be scaled (no scale subresource)`);
        let patch: Record<string, unknown> = { spec: { replicas } };
        if (current !== undefined) {
          const scale = await session.client.get<Scale>(path);
          if ((scale.spec?.replicas ?? 0) !== current) throw new CliError(`expected replicas to be ${current}, was ${scale.spec?.replicas ?? 0}`);
          // The resourceVersion makes the change conditional on nothing else having changed.
          patch = { ...patch, metadata: { resourceVersion: scale.metadata?.resourceVersion } };
        }
        await session.client.patch(path, patch, 'merge');
        session.io.stdout.write(`${resourceLabel(t.resource)}/${t.name} scaled\n`);
      } catch (err) {
        if (isStatusError(err, 409)) session.io.stderr.write(`error: ${resourceLabel(t.resource)}/${t.name} changed meanwhile; not scaled\n`);
        else session.io.stderr.write(`error: ${t.source ? `${t.source}: ` : ''}${errorMessage(err)}\n`);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  });
}
