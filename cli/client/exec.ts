/**
 * `marina exec [-i] [-t] [-c C] POD|TYPE/NAME -- COMMAND [ARGS…]`: pods/exec over a WebSocket
 * (the channel protocol of client/nodeAgent.ts: v5.channel.k8s.io, else v4). stdin is sent with
 * -i (its end as a close frame on v5), -t asks for a terminal (raw mode and size updates when
 * stdin is one). The command's exit code becomes marina's, as kubectl's.
 */
import { Command } from 'commander';
import { WebSocket } from 'ws';
import { Channel, closeFrame, execSubprotocols, exitCodeOf, frame, parseFrame, type ExecStatus } from '../../client/nodeAgent';
import type { Cli } from './command';
import type { Session } from './context';
import { CliError, ExitCode, usageError } from './io';
import { containerOf, resolvePod } from './podTarget';
import { targetPath } from './resources';

interface ExecCmdOptions {
  readonly container?: string;
  readonly stdin?: boolean;
  readonly tty?: boolean;
  readonly quiet?: boolean;
}

export function execCommand(cli: Cli): Command {
  const cmd = new Command('exec')
    .description('Run a command in a container: marina exec [-it] POD|TYPE/NAME -- COMMAND [ARGS…]')
    .argument('[pod-and-command...]', 'POD or TYPE/NAME, then -- and the command')
    .option('-c, --container <name>', 'the container (default: the pod\'s default or first container)')
    .option('-i, --stdin', 'pass stdin to the command')
    .option('-t, --tty', 'stdin is a terminal')
    .option('-q, --quiet', 'print only the command\'s output');
  return cli.verb<ExecCmdOptions>(cmd, async (ctx) => {
    const [target, ...command] = ctx.args;
    if (!target) throw usageError('expected POD or TYPE/NAME and a command (marina exec POD -- COMMAND)');
    if (!command.length) throw usageError('you must specify at least one command for the container');
    const session = await ctx.session();
    const pod = await resolvePod(session, target);
    const container = containerOf(session, pod, ctx.opts.container);
    const tty = Boolean(ctx.opts.tty);
    const stdin = Boolean(ctx.opts.stdin);
    if (tty && !stdin && !ctx.opts.quiet) session.io.stderr.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    const mapper = await session.mapper();
    const query = new URLSearchParams({ container, stdout: 'true', ...(stdin ? { stdin: 'true' } : {}), ...(tty && stdin ? { tty: 'true' } : { stderr: 'true' }) });
    for (const c of command) query.append('command', c);
    const path = targetPath(mapper.resolveOne('pods'), pod.metadata?.namespace ?? session.namespace, pod.metadata?.name, 'exec');
    const status = await runExec(session, `${session.client.server.replace(/^http/, 'ws')}${path}?${query}`, { stdin, tty: tty && stdin });
    const code = exitCodeOf(status);
    if (code === 0) return 0;
    if (code === undefined) throw new CliError(status.message ?? 'the command failed');
    if (!ctx.opts.quiet) session.io.stderr.write(`command terminated with exit code ${code}\n`);
    throw new ExitCode(code);
  });
}

/** Runs the exec stream to its end; resolves with the Status of the error channel. */
function runExec(session: Session, url: string, options: { stdin: boolean; tty: boolean }): Promise<ExecStatus> {
  const io = session.io;
  return new Promise<ExecStatus>((resolve, reject) => {
    const ws = new WebSocket(url, [...execSubprotocols], { perMessageDeflate: false });
    let status: ExecStatus | undefined;
    const cleanups: (() => void)[] = [];
    const finish = (err?: Error) => {
      for (const c of cleanups.splice(0)) c();
      if (err) return reject(err);
      resolve(status ?? { metadata: {}, status: 'Failure', message: 'the connection closed before the command finished' });
    };
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        let message = body.trim() || `HTTP ${res.statusCode ?? ''}`;
        try {
          message = (JSON.parse(body) as { message?: string }).message ?? message;
        } catch {
          // plain text
        }
        finish(new CliError(message));
      });
    });
    ws.on('error', (err) => finish(err));
    ws.on('open', () => {
      if (options.tty) {
        const raw = Boolean(io.stdin.isTTY && io.stdin.setRawMode);
        if (raw) {
          io.stdin.setRawMode!(true);
          cleanups.push(() => io.stdin.setRawMode!(false));
        }
        const sendSize = () => {
          const { columns, rows } = io.stdout;
          if (columns && rows) ws.send(frame(Channel.resize, JSON.stringify({ Width: columns, Height: rows })));
        };
        sendSize();
        if (io.onResize) cleanups.push(io.onResize(sendSize));
      }
      if (options.stdin) {
        const onData = (chunk: Buffer | string) => ws.readyState === WebSocket.OPEN && ws.send(frame(Channel.stdin, chunk));
        const onEnd = () => ws.readyState === WebSocket.OPEN && ws.protocol === 'v5.channel.k8s.io' && ws.send(closeFrame(Channel.stdin));
        io.stdin.on('data', onData);
        io.stdin.on('end', onEnd);
        cleanups.push(() => {
          io.stdin.off('data', onData);
          io.stdin.off('end', onEnd);
          io.stdin.pause();
        });
      }
      const onAbort = () => ws.close();
      io.signal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => io.signal.removeEventListener('abort', onAbort));
    });
    ws.on('message', (data: Buffer) => {
      const message = parseFrame(data);
      if (!message) return;
      if (message.channel === Channel.stdout) io.stdout.write(message.data);
      else if (message.channel === Channel.stderr) io.stderr.write(message.data);
      else if (message.channel === Channel.error && message.data.length) {
        try {
          status = JSON.parse(message.data.toString()) as ExecStatus;
        } catch {
          status = { metadata: {}, status: 'Failure', message: message.data.toString() };
        }
      }
    });
    ws.on('close', () => finish());
  });
}
