/**
 * One exec over the node-agent contract's WebSocket (v5/v4.channel.k8s.io): stdin frames feed
 * the command, its stdout and stderr become frames, resize frames resize a terminal, and when the
 * command ends its exit code goes out as a Status on channel 3 before the socket closes.
 */
import { PassThrough, Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import { Channel, exitStatus, failureStatus, frame, parseFrame, parseTerminalSize, type ExecOptions } from '../../client/nodeAgent';
import type { ContainerRuntime } from '../runtime/interface';

export async function runExecStream(ws: WebSocket, runtime: ContainerRuntime, containerId: string, options: ExecOptions): Promise<void> {
  const stdin = options.stdin ? new PassThrough() : undefined;
  const abort = new AbortController();
  const sink = (channel: typeof Channel.stdout | typeof Channel.stderr) =>
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        if (ws.readyState === ws.OPEN) ws.send(frame(channel, chunk), () => cb());
        else cb();
      },
    });
  const finish = (status: ReturnType<typeof exitStatus>) => {
    if (ws.readyState === ws.OPEN) {
      ws.send(frame(Channel.error, JSON.stringify(status)));
      ws.close(1000);
    }
  };
  let resize: ((w: number, h: number) => void) | undefined;
  let pendingSize: { Width: number; Height: number } | undefined;
  ws.on('message', (data: Buffer) => {
    const message = parseFrame(Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer));
    if (!message) return;
    if (message.channel === Channel.stdin) stdin?.write(message.data);
    else if (message.channel === Channel.close && message.data[0] === Channel.stdin) stdin?.end();
    else if (message.channel === Channel.resize) {
      const size = parseTerminalSize(message.data);
      if (!size) return;
      if (resize) resize(size.Width, size.Height);
      else pendingSize = size;
    }
  });
  ws.on('close', () => {
    stdin?.end();
    abort.abort();
  });
  try {
    const session = await runtime.exec(containerId, options.command, {
      tty: options.tty,
      ...(stdin ? { stdin } : {}),
      ...(options.stdout ? { stdout: sink(Channel.stdout) } : {}),
      ...(options.stderr ? { stderr: sink(Channel.stderr) } : {}),
      signal: abort.signal,
    });
    if (session.resize) {
      resize = (w, h) => session.resize!(w, h);
      if (pendingSize) resize(pendingSize.Width, pendingSize.Height);
    }
    const code = await session.exitCode;
    // Let queued output frames go out before the status.
    await new Promise((resolve) => setImmediate(resolve));
    finish(exitStatus(code, options.command));
  } catch (err) {
    finish(failureStatus((err as Error).message));
  }
}
