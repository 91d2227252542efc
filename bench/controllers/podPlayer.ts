/**
 * The benchmark's stand-in for the scheduler and the node agents (neither exists yet): it watches
 * the pods of one namespace and, through the API, binds each new pod to a node (round-robin,
 * POST pods/NAME/binding), reports it Running and Ready (merge PATCH pods/NAME/status), and
 * finishes graceful deletions (DELETE with gracePeriodSeconds=0 once a pod has a
 * deletionTimestamp, as a node agent does when the containers stopped).
 *
 * Cheap on purpose, so it leaves the CPU to the controllers: one watch, a few workers each on its
 * own keep-alive connection (connection.ts), each pod's state kept as the few fields it needs, and
 * at most one binding, one status write and one delete sent per pod (retried only on failure).
 * Every request it sends is counted (by verb and resource) once answered.
 */
import type { Pod } from '../../api/kinds/core/pod';
import type { RestClient } from '../../client/restClient';
import { connection, type Answer, type Connection } from './connection';
import { answeredKey, requestKey, type RequestCounts } from './metrics';
import { keepWatching, type KeptWatch } from './watch';

const podsGvr = { group: '', version: 'v1', resource: 'pods' };

export interface PodPlayerOptions {
  readonly client: RestClient;
  readonly namespace: string;
  readonly nodes: readonly string[];
  /** Concurrent requests (one connection each). */
  readonly workers: number;
  readonly counts: RequestCounts;
}

export interface PodPlayerStats {
  readonly bound: number;
  readonly readied: number;
  readonly deleted: number;
  readonly failed: number;
}

export interface PodPlayer {
  stats(): PodPlayerStats;
  stop(): Promise<void>;
}

/** What the player keeps of a pod. */
interface Seen {
  readonly uid: string;
  readonly nodeName: string | undefined;
  readonly terminating: boolean;
  readonly ready: boolean;
  readonly containers: readonly { name: string; image: string }[];
}

/** Per pod uid: what was sent already. */
interface Progress {
  bound?: boolean;
  readied?: boolean;
  deleting?: boolean;
}

export async function startPodPlayer(options: PodPlayerOptions): Promise<PodPlayer> {
  const { hostname, port } = new URL(options.client.server);
  const connections: Connection[] = Array.from({ length: options.workers }, () => connection(hostname, Number(port)));
  const base = `/api/v1/namespaces/${encodeURIComponent(options.namespace)}/pods`;
  const latest = new Map<string, Seen>();
  const progress = new Map<string, Progress>();
  const queue: string[] = [];
  const queued = new Set<string>();
  const idle: (() => void)[] = [];
  let stopped = false;
  let nextNode = 0;
  const stats = { bound: 0, readied: 0, deleted: 0, failed: 0 };

  const enqueue = (name: string) => {
    if (queued.has(name) || stopped) return;
    queued.add(name);
    queue.push(name);
    idle.pop()?.();
  };

  const send = async (conn: Connection, key: string, method: string, path: string, body?: string, contentType?: string): Promise<Answer> => {
    const answer = await conn.request(method, path, body, contentType);
    options.counts.add(answeredKey(key, answer.status));
    return answer;
  };

  const statusPatch = (pod: Seen, node: string): string => {
    const now = new Date().toISOString().slice(0, 19) + 'Z';
    const n = nodeIndex(node);
    const ip = `10.${64 + (n >> 8)}.${n & 255}.${(progress.size % 250) + 2}`;
    const condition = (type: string) => ({ type, status: 'True', lastTransitionTime: now });
    return JSON.stringify({
      status: {
        phase: 'Running',
        hostIP: nodeAddress(node),
        podIP: ip,
        podIPs: [{ ip }],
        startTime: now,
        conditions: [condition('PodScheduled'), condition('Initialized'), condition('ContainersReady'), condition('Ready')],
        containerStatuses: pod.containers.map((c) => ({ name: c.name, image: c.image, imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt: now } } })),
      },
    });
  };

  /** Does what the pod needs next; false when a request failed (the pod is looked at again later). */
  const handle = async (conn: Connection, name: string): Promise<boolean> => {
    const pod = latest.get(name);
    if (!pod) return true;
    let p = progress.get(pod.uid);
    if (!p) progress.set(pod.uid, (p = {}));
    const path = `${base}/${encodeURIComponent(name)}`;
    if (pod.terminating) {
      if (p.deleting) return true;
      p.deleting = true;
      const res = await send(conn, requestKey('delete', 'pods'), 'DELETE', path, JSON.stringify({ apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid: pod.uid } }));
      if (res.status === 200 || res.status === 202 || res.status === 404 || res.status === 409) {
        if (res.status < 300) stats.deleted++;
        return true;
      }
      p.deleting = false;
      return false;
    }
    let node = pod.nodeName;
    if (!node && !p.bound) {
      node = options.nodes[nextNode++ % options.nodes.length]!;
      p.bound = true;
      const res = await send(conn, requestKey('create', 'pods', 'binding'), 'POST', `${path}/binding`, JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: node } }));
      if (res.status === 404) return true;
      if (res.status !== 201 && res.status !== 409) {
        p.bound = false;
        return false;
      }
      if (res.status === 201) stats.bound++;
      // A 409: bound already; its node comes with the watch.
      if (res.status === 409) return true;
    }
    if (!node || pod.ready || p.readied) return true;
    p.readied = true;
    const res = await send(conn, requestKey('patch', 'pods', 'status'), 'PATCH', `${path}/status`, statusPatch(pod, node), 'application/merge-patch+json');
    if (res.status === 200) {
      stats.readied++;
      return true;
    }
    if (res.status === 404) return true;
    p.readied = false;
    return false;
  };

  const workers = connections.map(async (conn) => {
    while (!stopped) {
      const name = queue.shift();
      if (name === undefined) {
        await new Promise<void>((resolve) => idle.push(resolve));
        continue;
      }
      queued.delete(name);
      let ok: boolean;
      try {
        ok = await handle(conn, name);
      } catch {
        ok = false; // the connection broke: a new one is opened by the next request
      }
      if (!ok && !stopped) {
        stats.failed++;
        setTimeout(() => enqueue(name), 100);
      }
    }
  });

  const watch: KeptWatch = await keepWatching<Pod>(options.client.resource<Pod>(podsGvr, options.namespace), options.counts, {}, (event) => {
    const pod = event.object;
    const name = pod.metadata?.name;
    if (!name) return;
    if (event.type === 'DELETED') {
      latest.delete(name);
      if (pod.metadata?.uid) progress.delete(pod.metadata.uid);
      return;
    }
    latest.set(name, {
      uid: pod.metadata?.uid ?? '',
      nodeName: pod.spec?.nodeName || undefined,
      terminating: Boolean(pod.metadata?.deletionTimestamp),
      ready: pod.status?.phase === 'Running' && (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
      containers: (pod.spec?.containers ?? []).map((c) => ({ name: c.name, image: c.image ?? '' })),
    });
    enqueue(name);
  });

  return {
    stats: () => ({ ...stats }),
    async stop() {
      stopped = true;
      await watch.stop();
      for (const wake of idle.splice(0)) wake();
      await Promise.all(workers);
      for (const c of connections) c.close();
    },
  };
}

/** node-17 → 17. */
function nodeIndex(node: string): number {
  return Number(/(\d+)$/.exec(node)?.[1] ?? 0);
}

/** The InternalIP the benchmark gives a node. */
export function nodeAddress(node: string): string {
  const n = nodeIndex(node);
  return `10.0.${n >> 8}.${n & 255}`;
}
