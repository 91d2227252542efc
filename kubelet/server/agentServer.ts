/**
 * The node agent's HTTP server (the node-agent contract of README.md and client/nodeAgent.ts):
 * GET /containerLogs/{ns}/{pod}/{container} with the log options, /exec/{ns}/{pod}/{container}
 * upgraded to a v5/v4.channel.k8s.io WebSocket, plus /healthz and /metrics. One server serves
 * every hollow node of a simulated process (the locator finds the pod's node).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Logger } from '../../client/log';
import { chooseSubprotocol, execOptionsError, parseContainerLogsQuery, parseContainerPath, parseExecQuery, type ContainerLogOptions } from '../../client/nodeAgent';
import { serveLog } from '../logs/containerLog';
import { runExecStream } from './execStream';
import { isLocated, type ContainerLocator } from './locator';

export interface AgentServerOptions {
  readonly locator: ContainerLocator;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0: any free port. */
  readonly port: number;
  /** The Prometheus text of /metrics. */
  readonly metrics: () => string;
  /** Whether /healthz answers ok. Default: always. */
  readonly healthy?: () => boolean;
  readonly log: Logger;
}

export interface AgentServer {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

export async function startAgentServer(options: AgentServerOptions): Promise<AgentServer> {
  const follows = new Set<AbortController>();
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      options.log.warn('request failed', { path: req.url, err });
      if (!res.headersSent) answer(res, 500, (err as Error).message);
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://agent');
    if (req.method !== 'GET') return answer(res, 405, 'method not allowed');
    if (url.pathname === '/healthz') {
      const ok = options.healthy?.() ?? true;
      return answer(res, ok ? 200 : 500, ok ? 'ok' : 'not healthy');
    }
    if (url.pathname === '/metrics') {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      return void res.end(options.metrics());
    }
    const target = parseContainerPath(url.pathname);
    if (!target) return answer(res, 404, 'not found');
    if (target.endpoint === 'exec') return answer(res, 400, 'exec needs a WebSocket upgrade (v5.channel.k8s.io or v4.channel.k8s.io)');
    let logOptions: ContainerLogOptions;
    try {
      logOptions = parseContainerLogsQuery(url.searchParams);
    } catch (err) {
      return answer(res, 400, (err as Error).message);
    }
    const found = await options.locator.locate(target.ref, logOptions.previous);
    if (!isLocated(found)) return answer(res, found.code, found.message);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.flushHeaders();
    const abort = new AbortController();
    follows.add(abort);
    res.once('close', () => abort.abort());
    try {
      await serveLog(found.logPath, logOptions, res, {
        maxFiles: found.maxFiles,
        signal: abort.signal,
        running: async () => (await found.runtime.container(found.containerId))?.state === 'running',
      });
    } finally {
      follows.delete(abort);
      res.end();
    }
  }

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (offered) => chooseSubprotocol(offered) ?? false });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const refuse = (code: number, message: string) => {
      socket.end(`HTTP/1.1 ${code} ${code === 404 ? 'Not Found' : 'Bad Request'}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\nConnection: close\r\n\r\n${message}`);
    };
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://agent');
      const target = parseContainerPath(url.pathname);
      if (!target || target.endpoint !== 'exec') return refuse(404, 'not found');
      const execOptions = parseExecQuery(url.searchParams);
      const bad = execOptionsError(execOptions);
      if (bad) return refuse(400, bad);
      const found = await options.locator.locate(target.ref);
      if (!isLocated(found)) return refuse(found.code, found.message);
      if (!found.running) return refuse(400, `container ${target.ref.container} is not running`);
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => undefined);
        void runExecStream(ws, found.runtime, found.containerId, execOptions);
      });
    })().catch((err: unknown) => refuse(500, (err as Error).message));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    stop: async () => {
      for (const f of follows) f.abort();
      for (const client of wss.clients) client.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answer(res: ServerResponse, code: number, message: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain' });
  res.end(message);
}
