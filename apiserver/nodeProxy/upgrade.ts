/**
 * HTTP upgrades (WebSocket, for pods/exec) through the ordinary handler chain. Node's http server
 * hands a request carrying `Connection: Upgrade` to its 'upgrade' event with the raw socket
 * instead of a response; here each such request gets a response object on that socket and goes
 * through the same handlers as any other (request info, limits, errors as Status). A handler that
 * accepts the upgrade takes the socket with `takeUpgrade`; one that does not (a validation error,
 * an SPDY request, any other path) simply answers, and the connection closes after the answer.
 */
import { ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** What an upgrade request brought: the client's socket and the bytes read past its headers. */
export interface UpgradeSocket {
  readonly socket: Duplex;
  readonly head: Buffer;
}

interface PendingUpgrade extends UpgradeSocket {
  readonly response: ServerResponse;
}

const pending = new WeakMap<IncomingMessage, PendingUpgrade>();

export interface UpgradeAcceptor {
  /** Ends every upgraded connection still open (the server is stopping). */
  closeAll(): void;
}

/** Routes `server`'s upgrade requests to `serve`, as ordinary requests answered on their socket. */
export function acceptUpgrades(server: Server, serve: (req: IncomingMessage, res: ServerResponse) => void): UpgradeAcceptor {
  const open = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    // A client that vanishes mid-handshake must not crash the server.
    socket.on('error', () => socket.destroy());
    const response = new ServerResponse(req);
    response.shouldKeepAlive = false;
    response.assignSocket(socket as Socket);
    // Answered without an upgrade: the connection was the request's alone.
    response.once('finish', () => socket.end());
    pending.set(req, { socket, head, response });
    serve(req, response);
  });
  return {
    closeAll: () => {
      for (const socket of open) socket.destroy();
      open.clear();
    },
  };
}

/**
 * The socket of an upgrade request, for a handler that upgrades it: the request's response object
 * lets go of it. Undefined when the request came without `Connection: Upgrade` (no socket to take)
 * or was taken already.
 */
export function takeUpgrade(req: IncomingMessage): UpgradeSocket | undefined {
  const upgrade = pending.get(req);
  if (!upgrade) return undefined;
  pending.delete(req);
  upgrade.response.detachSocket(upgrade.socket as Socket);
  return { socket: upgrade.socket, head: upgrade.head };
}
