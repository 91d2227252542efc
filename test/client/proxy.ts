/**
 * A TCP proxy that breaks the network on command, for testing how clients survive: it can cut
 * every connection and refuse new ones (a server gone), stall the connections it has (a dead
 * path that never closes: nothing flows, nothing ends), or switch to another upstream (a
 * restarted server elsewhere).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  stalled: boolean;
}

export class FaultyProxy {
  private readonly pairs = new Set<Pair>();
  private refusing = false;
  private target: { host: string; port: number };

  private constructor(
    private readonly server: Server,
    upstreamUrl: string,
  ) {
    this.target = hostPort(upstreamUrl);
  }

  static async start(upstreamUrl: string): Promise<FaultyProxy> {
    const server = createServer();
    const proxy = new FaultyProxy(server, upstreamUrl);
    server.on('connection', (client) => proxy.accept(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Connections open now. */
  get connections(): number {
    return this.pairs.size;
  }

  /** Drops every connection and refuses new ones until resume(). */
  cut(): void {
    this.refusing = true;
    for (const p of this.pairs) this.drop(p);
  }

  /** Accepts and forwards new connections again. */
  resume(): void {
    this.refusing = false;
  }

  /** Existing connections stay open but carry nothing more, either way; new ones work. */
  stall(): void {
    for (const p of this.pairs) p.stalled = true;
  }

  setUpstream(url: string): void {
    this.target = hostPort(url);
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    const pair: Pair = { client, upstream, stalled: false };
    this.pairs.add(pair);
    client.on('data', (d) => {
      if (!pair.stalled) upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (!pair.stalled) client.write(d);
    });
    const end = () => {
      if (!pair.stalled) this.drop(pair);
    };
    client.on('end', end);
    upstream.on('end', end);
    client.on('error', () => this.drop(pair));
    upstream.on('error', () => this.drop(pair));
    client.on('close', () => this.drop(pair));
    upstream.on('close', () => this.drop(pair));
  }

  private drop(p: Pair): void {
    if (!this.pairs.delete(p)) return;
    p.client.destroy();
    p.upstream.destroy();
  }
}

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
}
