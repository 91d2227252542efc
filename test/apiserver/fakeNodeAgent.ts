/**
 * A fake node agent for the pods/log and pods/exec tests: an HTTP + WebSocket server on 127.0.0.1
 * speaking the node-agent contract (client/nodeAgent.ts). It serves the logs it is given (honouring
 * tailLines, timestamps, previous, limitBytes and follow) and runs a few pretend commands:
 *   echo ARGS…   prints ARGS on stdout          cat        copies stdin to stdout until stdin ends
 *   warn TEXT…   prints TEXT on stderr          exit N     prints "bye" on stderr, exits with N
 *   size         prints the first terminal size it is sent ("80x24")
 * Anything else fails as a command that cannot be found. It records every request it gets.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  Channel,
  chooseSubprotocol,
  exitStatus,
  failureStatus,
  frame,
  parseContainerLogsQuery,
  parseContainerPath,
  parseExecQuery,
  parseFrame,
  parseTerminalSize,
  type ContainerLogOptions,
  type ExecOptions,
} from '../../client/nodeAgent';

/** A container's log: the current instance's lines, and the previous instance's if it restarted. */
export interface FakeLog {
  readonly current: string[];
  readonly previous?: string[];
}

export interface ReceivedRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  /** The exec subprotocol asked for, if any. */
  readonly protocol?: string;
}

export interface FakeNodeAgent {
  readonly port: number;
  readonly requests: ReceivedRequest[];
  /** Logs by `namespace/pod/container`. */
  readonly logs: Map<string, FakeLog>;
  /** Appends a line to a container's current log; followers get it at once. */
  appendLog(key: string, line: string): void;
  /** Log streams being followed now. */
  followers(): number;
  /** Exec streams open now. */
  execs(): number;
  stop(): Promise<void>;
}

/** Each line's time: a fixed start, one second apart, so timestamps are predictable. */
export function lineTime(index: number): string {
  return new Date(Date.UTC(2025, 0, 2, 3, 4, 5 + index)).toISOString().replace('.000Z', '.000000000Z');
}

export async function startFakeNodeAgent(): Promise<FakeNodeAgent> {
  const requests: ReceivedRequest[] = [];
  const logs = new Map<string, FakeLog>();
  const following = new Map<string, Set<(line: string, index: number) => void>>();
  let openExecs = 0;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://agent');
    requests.push({ path: url.pathname, query: url.searchParams });
    const target = parseContainerPath(url.pathname);
    if (!target || target.endpoint !== 'containerLogs') return answer(res, 404, 'not found');
    const key = `${target.ref.namespace}/${target.ref.pod}/${target.ref.container}`;
    const log = logs.get(key);
    if (!log) return answer(res, 404, `container "${target.ref.container}" in pod "${target.ref.pod}" is not known to this node`);
    let options: ContainerLogOptions;
    try {
      options = parseContainerLogsQuery(url.searchParams);
    } catch (err) {
      return answer(res, 400, (err as Error).message);
    }
    serveLog(res, key, log, options);
  });

  function serveLog(res: ServerResponse, key: string, log: FakeLog, options: ContainerLogOptions): void {
    const lines = options.previous ? log.previous : log.current;
    if (!lines) return answer(res, 400, 'previous terminated container not found');
    let budget = options.limitBytes ?? Infinity;
    const write = (line: string, index: number) => {
      const text = Buffer.from(`${options.timestamps ? `${lineTime(index)} ` : ''}${line}\n`);
      const part = text.subarray(0, Math.max(0, Math.min(text.length, budget)));
      budget -= part.length;
      if (part.length) res.write(part);
      return budget > 0;
    };
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.flushHeaders(); // as the contract asks: a follower learns at once that the log is there
    const first = options.tailLines === undefined ? 0 : Math.max(0, lines.length - options.tailLines);
    let more = true;
    for (let i = first; i < lines.length && more; i++) more = write(lines[i]!, i);
    if (!options.follow || options.previous || !more) return void res.end();
    const listeners = following.get(key) ?? new Set();
    following.set(key, listeners);
    const listener = (line: string, index: number) => {
      if (!write(line, index)) res.end();
    };
    listeners.add(listener);
    res.once('close', () => listeners.delete(listener));
  }

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (offered) => chooseSubprotocol(offered) ?? false });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://agent');
    const protocol = String(req.headers['sec-websocket-protocol'] ?? '');
    requests.push({ path: url.pathname, query: url.searchParams, protocol });
    const target = parseContainerPath(url.pathname);
    const refuse = (code: number, message: string) => {
      socket.end(`HTTP/1.1 ${code} Refused\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\nConnection: close\r\n\r\n${message}`);
    };
    if (!target || target.endpoint !== 'exec') return refuse(404, 'not found');
    if (!logs.has(`${target.ref.namespace}/${target.ref.pod}/${target.ref.container}`)) return refuse(404, `container "${target.ref.container}" is not known to this node`);
    wss.handleUpgrade(req, socket, head, (ws) => {
      openExecs++;
      ws.once('close', () => openExecs--);
      run(ws, parseExecQuery(url.searchParams));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    logs,
    appendLog: (key, line) => {
      const log = logs.get(key)!;
      log.current.push(line);
      for (const listener of following.get(key) ?? []) listener(line, log.current.length - 1);
    },
    followers: () => [...following.values()].reduce((n, set) => n + set.size, 0),
    execs: () => openExecs,
    stop: async () => {
      server.closeAllConnections();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answer(res: ServerResponse, code: number, message: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain' });
  res.end(message);
}

/** Runs a pretend command on an exec stream. */
function run(ws: WebSocket, options: ExecOptions): void {
  const [command, ...args] = options.command;
  const out = (channel: typeof Channel.stdout | typeof Channel.stderr, text: string) => ws.send(frame(channel, text));
  const finish = (exitCode: number) => {
    ws.send(frame(Channel.error, JSON.stringify(exitStatus(exitCode, options.command))));
    ws.close(1000);
  };
  switch (command) {
    case 'echo':
      out(Channel.stdout, `${args.join(' ')}\n`);
      return finish(0);
    case 'warn':
      out(Channel.stderr, `${args.join(' ')}\n`);
      return finish(0);
    case 'exit':
      out(Channel.stderr, 'bye\n');
      return finish(Number(args[0] ?? 1));
    case 'cat':
    case 'size':
      ws.on('message', (data: Buffer) => {
        const message = parseFrame(data);
        if (!message) return;
        if (command === 'cat' && message.channel === Channel.stdin) out(Channel.stdout, message.data.toString());
        if (command === 'cat' && message.channel === Channel.close && message.data[0] === Channel.stdin) finish(0);
        const size = message.channel === Channel.resize ? parseTerminalSize(message.data) : undefined;
        if (command === 'size' && size) {
          out(Channel.stdout, `${size.Width}x${size.Height}\n`);
          finish(0);
        }
      });
      return;
    default:
      ws.send(frame(Channel.error, JSON.stringify(failureStatus(`exec: "${command ?? ''}": executable file not found in $PATH`))));
      ws.close(1000);
  }
}
