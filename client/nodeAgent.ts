/**
 * The node-agent HTTP contract: what the API server asks of the agent (Marina's kubelet) running
 * on a node to serve `pods/log` and `pods/exec`, shared by both sides. It follows the kubelet's own
 * API, so Kubernetes' API server code reads the same:
 *
 *   Where: the agent of node N listens on plain HTTP at the address its Node object advertises
 *   (status.addresses: InternalIP, else Hostname, else any other) and the port
 *   status.daemonEndpoints.kubeletEndpoint.Port (10250 when unset).
 *
 *   GET /containerLogs/{namespace}/{pod}/{container}?follow=&tailLines=&timestamps=&sinceSeconds=&
 *       sinceTime=&previous=&limitBytes=
 *     200 with the log's raw bytes (text/plain). With follow=true the answer's head is sent at once
 *     and the body stays open, chunked and flushed as lines come, until the container's log ends
 *     or the client goes away. Errors are
 *     HTTP errors whose body is the message (400 for a container not started yet, 404 for an
 *     unknown pod or container); the API server turns them into Status errors.
 *
 *   GET /exec/{namespace}/{pod}/{container}?command=a&command=b&stdin=1&stdout=1&stderr=1&tty=1
 *     upgraded to a WebSocket with subprotocol v5.channel.k8s.io (or v4.channel.k8s.io). Every
 *     message is binary; its first byte is the channel:
 *       0 stdin (client → agent)       1 stdout, 2 stderr (agent → client)
 *       3 error: one Status JSON when the command ends (Success, or Failure with reason
 *         NonZeroExitCode and a cause {reason: ExitCode, message: "<code>"}), then the agent closes
 *       4 resize (client → agent): {"Width":W,"Height":H}
 *       255 close (v5 only): the second byte is the channel whose stream ends ([255, 0]: stdin EOF)
 *     Pings are answered with pongs. Bad options are HTTP 400 before the upgrade.
 */
import type { Node } from '../api/kinds/core/node';

/** The kubelet's port, used when a Node does not advertise one. */
export const defaultNodeAgentPort = 10250;

/** Address types in the order the API server prefers them. */
export const preferredAddressTypes: readonly string[] = ['InternalIP', 'Hostname', 'InternalDNS', 'ExternalIP', 'ExternalDNS'];

export interface NodeAgentEndpoint {
  readonly host: string;
  readonly port: number;
}

/** Where a node's agent listens, or why that cannot be told (as Kubernetes words it). */
export function nodeAgentEndpoint(node: Node): NodeAgentEndpoint | { readonly error: string } {
  const addresses = node.status?.addresses ?? [];
  for (const type of preferredAddressTypes) {
    const found = addresses.find((a) => a.type === type && a.address !== '');
    if (found) {
      const advertised = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0;
      return { host: found.address, port: advertised > 0 ? advertised : defaultNodeAgentPort };
    }
  }
  const known = addresses.map((a) => `{${a.type} ${a.address}}`).join(' ');
  return { error: `no preferred addresses found; known addresses: [${known}]` };
}

/** http://host:port/path?query, with an IPv6 host in brackets. */
export function nodeAgentUrl(endpoint: NodeAgentEndpoint, path: string, query: URLSearchParams, scheme: 'http' | 'ws' = 'http'): string {
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  const qs = query.toString();
  return `${scheme}://${host}:${endpoint.port}${path}${qs ? `?${qs}` : ''}`;
}

/** One container of one pod, as the agent's paths name it. */
export interface ContainerRef {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
}

export type NodeAgentEndpointName = 'containerLogs' | 'exec';

export function containerPath(endpoint: NodeAgentEndpointName, ref: ContainerRef): string {
  return `/${endpoint}/${[ref.namespace, ref.pod, ref.container].map(encodeURIComponent).join('/')}`;
}

/** The endpoint and container a request path addresses (the agent's router), or undefined. */
export function parseContainerPath(path: string): { readonly endpoint: NodeAgentEndpointName; readonly ref: ContainerRef } | undefined {
  const parts = path.split('?')[0]!.split('/').slice(1);
  if (parts.length !== 4 || (parts[0] !== 'containerLogs' && parts[0] !== 'exec') || parts.some((p) => p === '')) return undefined;
  try {
    const [namespace, pod, container] = parts.slice(1).map(decodeURIComponent) as [string, string, string];
    return { endpoint: parts[0], ref: { namespace, pod, container } };
  } catch {
    return undefined;
  }
}

/** core/v1 PodLogOptions, less the container (in the path). */
export interface ContainerLogOptions {
  /** Keep the stream open and send new lines as they come. */
  readonly follow?: boolean;
  /** Only the last N lines. */
  readonly tailLines?: number;
  /** Each line prefixed with its RFC 3339 timestamp and a space. */
  readonly timestamps?: boolean;
  /** Only lines from the last N seconds (exclusive with sinceTime). */
  readonly sinceSeconds?: number;
  /** Only lines from this RFC 3339 time on. */
  readonly sinceTime?: string;
  /** The log of the container's previous, terminated instance. */
  readonly previous?: boolean;
  /** At most this many bytes (the log may end mid-line). */
  readonly limitBytes?: number;
}

/** The query the API server sends, as Kubernetes' LogLocation builds it. */
export function containerLogsQuery(options: ContainerLogOptions): URLSearchParams {
  const q = new URLSearchParams();
  if (options.follow) q.append('follow', 'true');
  if (options.previous) q.append('previous', 'true');
  if (options.timestamps) q.append('timestamps', 'true');
  if (options.sinceSeconds !== undefined) q.append('sinceSeconds', String(options.sinceSeconds));
  if (options.sinceTime !== undefined) q.append('sinceTime', options.sinceTime);
  if (options.tailLines !== undefined) q.append('tailLines', String(options.tailLines));
  if (options.limitBytes !== undefined) q.append('limitBytes', String(options.limitBytes));
  return q;
}

/** The agent's reading of a containerLogs query; throws an Error (answer 400) on a malformed one. */
export function parseContainerLogsQuery(query: URLSearchParams): ContainerLogOptions {
  const int = (name: string): number | undefined => {
    const raw = query.get(name);
    if (raw === null || raw === '') return undefined;
    if (!/^-?\d+$/.test(raw)) throw new Error(`${name}: invalid integer ${JSON.stringify(raw)}`);
    return Number(raw);
  };
  const sinceTime = query.get('sinceTime');
  const tailLines = int('tailLines');
  const sinceSeconds = int('sinceSeconds');
  const limitBytes = int('limitBytes');
  return {
    follow: isTrue(query.get('follow')),
    previous: isTrue(query.get('previous')),
    timestamps: isTrue(query.get('timestamps')),
    ...(tailLines !== undefined ? { tailLines } : {}),
    ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
    ...(sinceTime ? { sinceTime } : {}),
    ...(limitBytes !== undefined ? { limitBytes } : {}),
  };
}

/** core/v1 PodExecOptions, less the container (in the path). */
export interface ExecOptions {
  /** The command and its arguments (not run through a shell). */
  readonly command: readonly string[];
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
  /** A terminal: stdout and stderr are one stream (stderr is then off), resize frames apply. */
  readonly tty: boolean;
}

/** The query the API server sends: flags as "1", as the kubelet reads them. */
export function execQuery(options: ExecOptions): URLSearchParams {
  const q = new URLSearchParams();
  for (const flag of ['stdin', 'stdout', 'stderr', 'tty'] as const) if (options[flag]) q.append(flag, '1');
  for (const c of options.command) q.append('command', c);
  return q;
}

/** The agent's reading of an exec query ("1" or "true" for a flag); a tty turns stderr off, as the kubelet does. */
export function parseExecQuery(query: URLSearchParams): ExecOptions {
  const tty = isTrue(query.get('tty'));
  return {
    command: query.getAll('command'),
    stdin: isTrue(query.get('stdin')),
    stdout: isTrue(query.get('stdout')),
    stderr: isTrue(query.get('stderr')) && !tty,
    tty,
  };
}

/** What is wrong with exec options, in the kubelet's words, or undefined. */
export function execOptionsError(options: ExecOptions): string | undefined {
  if (!options.stdin && !options.stdout && !options.stderr) return 'you must specify at least 1 of stdin, stdout, stderr';
  if (options.command.length === 0) return 'you must specify at least one command for the container';
  return undefined;
}

function isTrue(value: string | null): boolean {
  return value === '1' || value === 'true';
}

/** The exec WebSocket subprotocols, preferred first. v4 lacks the close channel (no stdin EOF). */
export const execSubprotocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
export type ExecSubprotocol = (typeof execSubprotocols)[number];

/** The subprotocol to speak with a client offering `offered` (Sec-WebSocket-Protocol), if any. */
export function chooseSubprotocol(offered: Iterable<string>): ExecSubprotocol | undefined {
  const set = new Set(offered);
  return execSubprotocols.find((p) => set.has(p));
}

/** The channels of the exec stream protocol: the first byte of every message. */
export const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;
export type ChannelNumber = (typeof Channel)[keyof typeof Channel];

/** A message on a channel. */
export function frame(channel: ChannelNumber, data: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from([channel]), typeof data === 'string' ? Buffer.from(data) : data]);
}

/** v5: the stream of `channel` ends (from the client, [255, 0] closes the command's stdin). */
export function closeFrame(channel: ChannelNumber): Buffer {
  return Buffer.from([Channel.close, channel]);
}

export interface ParsedFrame {
  readonly channel: number;
  readonly data: Buffer;
}

/** Splits a message into its channel and data (undefined for an empty message). */
export function parseFrame(message: Buffer): ParsedFrame | undefined {
  if (message.length === 0) return undefined;
  return { channel: message[0]!, data: message.subarray(1) };
}

/** The body of a resize message (remotecommand.TerminalSize). */
export interface TerminalSize {
  readonly Width: number;
  readonly Height: number;
}

/** A resize message's size, or undefined when malformed. */
export function parseTerminalSize(data: Buffer): TerminalSize | undefined {
  try {
    const size = JSON.parse(data.toString('utf8')) as Partial<TerminalSize>;
    return typeof size.Width === 'number' && typeof size.Height === 'number' ? { Width: size.Width, Height: size.Height } : undefined;
  } catch {
    return undefined;
  }
}

/** The Status sent on the error channel when a command ends (metav1.Status, as the kubelet writes it). */
export interface ExecStatus {
  readonly metadata: Record<string, never>;
  readonly status: 'Success' | 'Failure';
  readonly message?: string;
  readonly reason?: string;
  readonly details?: { readonly causes: readonly { readonly reason: string; readonly message: string }[] };
}

/** The reason, and the cause reason, of a command's non-zero exit (what kubectl turns into its own exit code). */
export const nonZeroExitCodeReason = 'NonZeroExitCode';
export const exitCodeCauseReason = 'ExitCode';

/** Success for exit code 0; otherwise the NonZeroExitCode Failure kubectl exits with. */
export function exitStatus(exitCode: number, command: readonly string[] = []): ExecStatus {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: command '${command.join(' ')}' exited with ${exitCode}`,
    reason: nonZeroExitCodeReason,
    details: { causes: [{ reason: exitCodeCauseReason, message: String(exitCode) }] },
  };
}

/** A Failure that is not an exit code: the command could not be run (kubectl prints the message, exits 1). */
export function failureStatus(message: string): ExecStatus {
  return { metadata: {}, status: 'Failure', message };
}

/** The exit code an error-channel Status stands for: 0 for Success, the ExitCode cause, or undefined. */
export function exitCodeOf(status: ExecStatus): number | undefined {
  if (status.status === 'Success') return 0;
  if (status.reason !== nonZeroExitCodeReason) return undefined;
  const cause = status.details?.causes.find((c) => c.reason === exitCodeCauseReason);
  return cause && /^\d+$/.test(cause.message) ? Number(cause.message) : undefined;
}
