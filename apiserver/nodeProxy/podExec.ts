/**
 * pods/exec: GET (or POST) .../pods/NAME/exec?command=..&container=&stdin=&stdout=&stderr=&tty=
 * upgraded to a WebSocket speaking v5.channel.k8s.io (or v4), proxied to the exec WebSocket of the
 * agent of the pod's node (client/nodeAgent.ts) with the same subprotocol; messages go through
 * unchanged both ways (stdin, stdout, stderr, the final Status, resize and close frames), and
 * pings are answered with pongs.
 *
 * What can be checked here is answered as an HTTP error before the upgrade, as Kubernetes does
 * (options 400, pod 404, container 400, no node 400, unknown node 404). The client is upgraded
 * before the agent is dialed: a node that cannot be reached, or that refuses the command, is
 * reported as a Failure Status on the error channel, and the stream closes. (Kubernetes answers
 * those with an HTTP error, after which kubectl retries over SPDY, which Marina does not speak,
 * so the agent's own words would be lost.) SPDY requests are answered 400.
 */
import type { IncomingMessage } from 'node:http';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import * as status from '../../api/status';
import {
  Channel,
  chooseSubprotocol,
  containerPath,
  execOptionsError,
  execQuery,
  execSubprotocols,
  failureStatus,
  frame,
  nodeAgentUrl,
  type ExecOptions,
  type ExecSubprotocol,
  type NodeAgentEndpoint,
} from '../../client/nodeAgent';
import { bool, param } from '../http/query';
import type { ApiRequest, Query } from '../http/request';
import { defaultDialTimeoutMs, dialErrorMessage, nodeAgentOf, podContainer, readBodyText, type NodeProxyOptions } from './podTarget';
import { takeUpgrade } from './upgrade';

/** The largest error body of a node agent that refused the upgrade, reported on the error channel. */
const maxRefusalBytes = 64 * 1024;

// One server object for every exec: with noServer it holds no state but its options.
const upgrader = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false, handleProtocols: (offered) => chooseSubprotocol(offered) ?? false });

/** PodExecOptions from the query string (kubectl sends true/false; the kubelet's 1/0 are read too). */
export function podExecOptions(query: Query): ExecOptions {
  const raw = query.command;
  const command = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((c): c is string => typeof c === 'string');
  const tty = bool(query, 'tty') ?? false;
  const options = { command, stdin: bool(query, 'stdin') ?? false, stdout: bool(query, 'stdout') ?? false, stderr: bool(query, 'stderr') ?? false, tty };
  const error = execOptionsError(options);
  if (error) throw status.badRequest(error);
  return options;
}

export async function servePodExec(options: NodeProxyOptions, req: ApiRequest, namespace: string, name: string): Promise<void> {
  const execOptions = podExecOptions(req.query);
  const { pod, container } = await podContainer(options.registry, namespace, name, param(req.query, 'container'));
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw status.badRequest(`pod ${name} does not have a host assigned`);
  const endpoint = await nodeAgentOf(options.registry, nodeName);
  const protocol = webSocketProtocol(req);
  const upgrade = takeUpgrade(req.message);
  if (!upgrade) throw status.badRequest('unable to upgrade: the request did not ask for a connection upgrade (Connection: Upgrade)');
  const url = nodeAgentUrl(endpoint, containerPath('exec', { namespace, pod: name, container }), execQuery(execOptions), 'ws');
  upgrader.handleUpgrade(req.message, upgrade.socket, upgrade.head, (client) => {
    proxyExec(client, { url, protocol, endpoint, dialTimeoutMs: options.dialTimeoutMs ?? defaultDialTimeoutMs });
  });
}

/** The subprotocol to upgrade with; 400 for anything but a WebSocket upgrade offering one of ours. */
function webSocketProtocol(req: ApiRequest): ExecSubprotocol {
  const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
  if (upgrade !== 'websocket' || req.method !== 'GET') {
    throw status.badRequest(
      `unable to upgrade: pods/exec is served over WebSocket (GET with Upgrade: websocket and subprotocol ${execSubprotocols.join(' or ')}), not ${upgrade ? `"${upgrade}"` : 'a plain request'}`,
    );
  }
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const protocol = chooseSubprotocol(offered);
  if (!protocol) throw status.badRequest(`unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${execSubprotocols.join(' ')}]`);
  return protocol;
}

interface ExecTarget {
  /** The node agent's exec URL (ws://). */
  readonly url: string;
  readonly protocol: ExecSubprotocol;
  readonly endpoint: NodeAgentEndpoint;
  readonly dialTimeoutMs: number;
}

/** Pipes an upgraded client to the node agent's exec stream, both ways, until either side closes. */
function proxyExec(client: WebSocket, target: ExecTarget): void {
  const agent = new WebSocket(target.url, [target.protocol], { perMessageDeflate: false, handshakeTimeout: target.dialTimeoutMs });
  // What the client sends before the agent has answered (stdin typed at once) waits for it.
  const early: { data: RawData; binary: boolean }[] = [];
  let failed = false;
  let opened = false;

  /** Reports why the command cannot run, as the Status kubectl prints, and ends the stream. */
  const fail = (message: string) => {
    if (failed) return;
    failed = true;
    if (client.readyState === WebSocket.OPEN) {
      client.send(frame(Channel.error, JSON.stringify(failureStatus(message))));
      client.close(1000);
    }
    agent.terminate();
  };

  client.on('message', (data, binary) => {
    if (agent.readyState === WebSocket.OPEN) agent.send(data, { binary });
    else early.push({ data, binary });
  });
  client.once('close', () => (agent.readyState === WebSocket.OPEN ? agent.close(1000) : agent.terminate()));
  client.on('error', () => client.terminate());

  agent.once('open', () => {
    opened = true;
    for (const { data, binary } of early.splice(0)) agent.send(data, { binary });
  });
  agent.on('message', (data, binary) => {
    if (client.readyState === WebSocket.OPEN) client.send(data, { binary });
  });
  agent.once('unexpected-response', (_request, response: IncomingMessage) => {
    void readBodyText(response, maxRefusalBytes).then((body) => fail(body.trim() || `the node agent refused the exec stream with the status code ${response.statusCode ?? 0}`));
  });
  agent.on('error', (err) => {
    // Before the upgrade, the agent could not be reached; after it, the stream just ends.
    if (!opened) fail(`error dialing backend: ${dialErrorMessage(err, target.endpoint)}`);
    else client.close(1011);
  });
  // The agent ends the stream (after the final Status): so does the client.
  agent.once('close', () => {
    if (!failed && client.readyState === WebSocket.OPEN) client.close(1000);
  });
}
