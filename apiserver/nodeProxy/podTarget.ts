/**
 * Where a pods/log or pods/exec request goes: the pod, the container (named, or the pod's only
 * one), and the agent of the node the pod runs on, with Kubernetes' errors for each step
 * (pkg/registry/core/pod/strategy.go: validateContainer, LogLocation, streamLocation, and the
 * node connection info getter); and how the agent's failures are told to the client.
 */
import type { IncomingMessage } from 'node:http';
import type { Node } from '../../api/kinds/core/node';
import type { Pod } from '../../api/kinds/core/pod';
import * as status from '../../api/status';
import { nodeAgentEndpoint, type NodeAgentEndpoint } from '../../client/nodeAgent';
import type { ResourceRegistry } from '../registry/resourceRegistry';

export interface NodeProxyOptions {
  readonly registry: ResourceRegistry;
  /** How long to wait for a node agent to accept the connection. Default 30 s (the kubelet client's dial timeout). */
  readonly dialTimeoutMs?: number;
}

export const defaultDialTimeoutMs = 30_000;

export interface PodContainer {
  readonly pod: Pod;
  readonly container: string;
}

/** Every container name of a pod: init containers, containers, then ephemeral ones (podutil.VisitContainers). */
export function containerNames(pod: Pod): string[] {
  const spec = pod.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...(spec?.ephemeralContainers ?? [])].map((c) => c.name);
}

/** validateContainer: the requested container if the pod has it, or the pod's only container. */
export function chooseContainer(pod: Pod, requested: string): string {
  const name = pod.metadata?.name ?? '';
  if (requested !== '') {
    if (!containerNames(pod).includes(requested)) throw status.badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  const containers = pod.spec?.containers ?? [];
  if (containers.length === 1) return containers[0]!.name;
  if (containers.length === 0) throw status.badRequest(`a container name must be specified for pod ${name}`);
  // As Go prints a []string: [a b c].
  throw status.badRequest(`a container name must be specified for pod ${name}, choose one of: [${containerNames(pod).join(' ')}]`);
}

/** The pod (404 when absent) and the container a request addresses. */
export async function podContainer(registry: ResourceRegistry, namespace: string, name: string, requested: string): Promise<PodContainer> {
  const pods = registry.lookup('', 'v1', 'pods')!;
  const pod = (await pods.get(namespace, name)) as Pod;
  return { pod, container: chooseContainer(pod, requested) };
}

/** Where the agent of node `nodeName` listens: 404 for an unknown node, 500 when it advertises no address. */
export async function nodeAgentOf(registry: ResourceRegistry, nodeName: string): Promise<NodeAgentEndpoint> {
  const nodes = registry.lookup('', 'v1', 'nodes')!;
  const node = (await nodes.get(undefined, nodeName)) as Node;
  const endpoint = nodeAgentEndpoint(node);
  if ('error' in endpoint) throw status.unknownError(500, endpoint.error);
  return endpoint;
}

/** Why a connection to a node agent failed, in Go's words where Kubernetes' clients print them. */
export function dialErrorMessage(err: unknown, endpoint: NodeAgentEndpoint): string {
  const code = (err as { code?: string }).code;
  const address = endpoint.host.includes(':') ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
  switch (code) {
    case 'ECONNREFUSED':
      return `dial tcp ${address}: connect: connection refused`;
    case 'EHOSTUNREACH':
      return `dial tcp ${address}: connect: no route to host`;
    case 'ETIMEDOUT':
      return `dial tcp ${address}: i/o timeout`;
    case 'ENOTFOUND':
      return `dial tcp: lookup ${endpoint.host}: no such host`;
    default:
      return (err as Error).message ?? String(err);
  }
}

/**
 * GenericHttpResponseChecker: a node agent's error answer as the Status the client gets, its body
 * as the message (400 stays BadRequest, 500 an internal error, others keep their code).
 */
export function nodeAgentError(code: number, body: string): status.StatusError {
  const message = body.trim();
  if (code === 400) return status.badRequest(message);
  if (code === 500) return status.internalError(message);
  if (code === 404) return new status.StatusError(404, 'NotFound', message || 'the server could not find the requested resource');
  return status.unknownError(code, message || `the node agent answered with the status code ${code}`);
}

/** The first `limit` bytes of a node agent's (error) answer, as text. */
export function readBodyText(body: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      if (size < limit) chunks.push(chunk.subarray(0, limit - size));
      size += chunk.length;
    });
    const done = () => resolve(Buffer.concat(chunks).toString('utf8'));
    body.once('end', done);
    body.once('error', done);
  });
}
