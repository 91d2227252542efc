/**
 * `marina logs POD|TYPE/NAME [-c C] [-f] [--tail N] [--previous] [--timestamps]`: the pods/log
 * subresource, streamed to stdout as it arrives (with -f until the container ends or Ctrl-C).
 */
import { Command } from 'commander';
import { StatusError } from '../../api/status';
import type { Cli } from './command';
import { parseDuration } from './command';
import { usageError } from './io';
import { containerOf, resolvePod } from './podTarget';
import { targetPath } from './resources';

interface LogsOptions {
  readonly container?: string;
  readonly follow?: boolean;
  readonly tail?: string;
  readonly previous?: boolean;
  readonly timestamps?: boolean;
  readonly sinceTime?: string;
  readonly since?: number;
  readonly limitBytes?: string;
}

export function logsCommand(cli: Cli): Command {
  const cmd = new Command('logs')
    .description('Print the logs of a container of a pod (or of a pod of deploy/NAME, job/NAME, …)')
    .argument('[pod]', 'POD or TYPE/NAME')
    .option('-c, --container <name>', 'the container (default: the pod\'s default or first container)')
    .option('-f, --follow', 'keep streaming new lines')
    .option('--tail <lines>', 'only the last N lines (-1: all)')
    .option('-p, --previous', 'the previous instance of the container (after a restart)')
    .option('--timestamps', 'prefix each line with its time')
    .option('--since <duration>', 'only lines newer than this (e.g. 5s, 2m)', parseDuration)
    .option('--since-time <time>', 'only lines after this RFC 3339 time')
    .option('--limit-bytes <n>', 'at most this many bytes');
  return cli.verb<LogsOptions>(cmd, async (ctx) => {
    const opts = ctx.opts;
    const arg = ctx.args[0];
    if (!arg) throw usageError('expected POD or TYPE/NAME (e.g. marina logs deploy/web)');
    if (ctx.args.length > 1) throw usageError(`unexpected arguments: ${ctx.args.slice(1).join(' ')}`);
    const tail = opts.tail === undefined ? undefined : Number(opts.tail);
    if (tail !== undefined && !Number.isInteger(tail)) throw usageError(`--tail must be an integer, not "${opts.tail}"`);
    const session = await ctx.session();
    const pod = await resolvePod(session, arg);
    const container = containerOf(session, pod, opts.container);
    const mapper = await session.mapper();
    const path = targetPath(mapper.resolveOne('pods'), pod.metadata?.namespace ?? session.namespace, pod.metadata?.name, 'log');
    const query: Record<string, string | undefined> = {
      container,
      follow: opts.follow ? 'true' : undefined,
      tailLines: tail !== undefined && tail >= 0 ? String(tail) : undefined,
      previous: opts.previous ? 'true' : undefined,
      timestamps: opts.timestamps ? 'true' : undefined,
      sinceSeconds: opts.since !== undefined ? String(Math.max(1, Math.ceil(opts.since / 1000))) : undefined,
      sinceTime: opts.sinceTime,
      limitBytes: opts.limitBytes,
    };
    await streamText(session.client.url(path, query), session.io.signal, (chunk) => session.io.stdout.write(chunk));
    return 0;
  });
}

/** GETs a text stream, handing each chunk over as it arrives; an error answer is thrown as its Status. */
export async function streamText(url: string, signal: AbortSignal, onChunk: (chunk: Uint8Array) => void): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { signal });
  } catch (err) {
    if (signal.aborted) return;
    throw err;
  }
  if (!res.ok) {
    const text = await res.text();
    let message = text.trim() || `HTTP ${res.status}`;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      // a plain-text error
    }
    throw new StatusError(res.status, '', message);
  }
  if (!res.body) return;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) onChunk(chunk);
  } catch (err) {
    if (!signal.aborted) throw err;
  }
}
