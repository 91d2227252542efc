/**
 * `marina diff -f FILE`: what `apply` would change, as kubectl diff shows it — each object's
 * live state against the server's dry run of the apply (so defaults, admission and validation
 * are the server's), as YAML without managedFields, compared by `diff -u -N` (or
 * $KUBECTL_EXTERNAL_DIFF) over two directories. Exit 0: no differences; 1: differences; >1 an error.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { KubeObject } from '../../api/kinds/kind';
import type { Cli } from './command';
import { collect } from './command';
import { applyObject, describeSource, placeObjects } from './applyObject';
import { CliError, ExitCode, errorMessage, usageError, type Io } from './io';
import { readManifests } from './manifests';
import { toYaml, withoutManagedFields } from './printers';

interface DiffOptions {
  readonly filename?: string[];
  readonly recursive?: boolean;
  readonly serverSide?: boolean;
  readonly forceConflicts?: boolean;
  readonly fieldManager: string;
}

export function diffCommand(cli: Cli): Command {
  const cmd = new Command('diff')
    .description('Show what apply -f would change: live objects against a server dry run (exit 1 when they differ)')
    .option('-f, --filename <file>', 'manifests (repeatable; - for stdin)', collect)
    .option('-R, --recursive', 'with -f DIR, read subdirectories too')
    .option('--server-side', 'diff a server-side apply')
    .option('--force-conflicts', 'with --server-side, take over fields other managers own')
    .option('--field-manager <name>', 'the field manager of a server-side apply', 'marina');
  return cli.verb<DiffOptions>(cmd, async (ctx) => {
    const opts = ctx.opts;
    if (!opts.filename?.length) throw usageError('must specify -f');
    const session = await ctx.session();
    const placed = await placeObjects(session, await readManifests(session.io, opts.filename, { recursive: opts.recursive ?? false }));
    const base = await mkdtemp(join(tmpdir(), 'marina-diff-'));
    try {
      const live = join(base, 'LIVE');
      const merged = join(base, 'MERGED');
      await mkdir(live);
      await mkdir(merged);
      for (const p of placed) {
        let result;
        try {
          result = await applyObject(session, p, { serverSide: opts.serverSide ?? false, forceConflicts: opts.forceConflicts ?? false, fieldManager: opts.fieldManager, dryRun: 'server' });
        } catch (err) {
          throw new CliError(`${describeSource(p)}: ${errorMessage(err)}`, 2);
        }
        const file = [p.resource.group || 'core', p.resource.version, p.resource.kind, p.namespace ?? '', p.name].filter(Boolean).join('.');
        if (result.live) await writeFile(join(live, file), dump(result.live));
        await writeFile(join(merged, file), dump(result.object));
      }
      const code = await runDiff(session.io, live, merged);
      if (code === 0) return 0;
      if (code === 1) throw new ExitCode(1);
      throw new CliError(`the diff program exited with ${code}`, code);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
}

/** The object as compared: no managedFields, and no resourceVersion (a dry run's answer may carry none). */
function dump(obj: KubeObject): string {
  const clean = withoutManagedFields(obj);
  const { resourceVersion: _rv, ...metadata } = clean.metadata ?? {};
  return toYaml({ ...clean, metadata });
}

/** Runs the diff program over the two directories, its output to stdout; resolves with its exit code. */
function runDiff(io: Io, from: string, to: string): Promise<number> {
  const external = io.env.KUBECTL_EXTERNAL_DIFF?.trim();
  const [program, ...args] = external ? external.split(/\s+/) : ['diff', '-u', '-N'];
  return new Promise((resolve, reject) => {
    const child = spawn(program!, [...args, from, to], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => io.stdout.write(d));
    child.stderr.on('data', (d: Buffer) => io.stderr.write(d));
    child.on('error', (err) => reject(new CliError(`cannot run ${program}: ${err.message}`, 2)));
    child.on('close', (code) => resolve(code ?? 2));
  });
}
