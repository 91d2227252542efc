/**
 * The WebSite operator on envtest: a private etcd + API server with crds/website.yaml installed,
 * the built-in controllers a WebSite needs in-process (Deployment, ReplicaSet, garbage collector),
 * a pod runner standing in for the scheduler and the node agents (pods of the test namespace are
 * bound, then reported Running and Ready through pods/status), the operator itself in its own
 * Manager, and a kubectl for the API server.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Event } from '../../api/kinds/core/event';
import type { KubeObject } from '../../api/kinds/kind';
import { RestClient } from '../../client/restClient';
import { builtinControllers } from '../../controllers/index';
import { startEnvironment, type TestEnvironment } from '../../controllers/runtime/envtest';
import { Manager } from '../../controllers/runtime/manager';
import { addWebSiteController } from '../../examples/website-operator/controller';
import { createNamespace } from '../client/helpers';
import { startPodRunner, type PodRunner } from '../controllers/podRunner';
import { createKubectl, type Kubectl } from '../harness/kubectl';

export const repoRoot = join(__dirname, '../..');

/** crds/website.yaml, as the API receives it. */
export function webSiteCrd(): KubeObject {
  return parse(readFileSync(join(repoRoot, 'crds/website.yaml'), 'utf8')) as KubeObject;
}

export interface OperatorEnvironment {
  readonly env: TestEnvironment;
  /** A client of the API server (no rate limit). */
  readonly client: RestClient;
  readonly kubectl: Kubectl;
  /** Where WebSites are created (pods there are run by the pod runner). */
  readonly namespace: string;
  /** The operator's namespace (its site registry). */
  readonly operatorNamespace: string;
  /** The operator's Manager (its metrics count reconciles). */
  readonly operator: Manager;
  stop(): Promise<void>;
}

export async function startOperatorEnvironment(namespace = 'sites', operatorNamespace = 'website-system'): Promise<OperatorEnvironment> {
  const env = await startEnvironment({ crds: [webSiteCrd()] });
  const stops: (() => Promise<void>)[] = [() => env.stop()];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
  };
  try {
    const client = env.client;
    await createNamespace(client, namespace);
    await createNamespace(client, operatorNamespace);
    const kubectl = await createKubectl(env.url);
    stops.push(() => kubectl.dispose());
    const runner: PodRunner = await startPodRunner(client, { namespace });
    stops.push(() => runner.stop());

    // The cluster's side: what `marina controller-manager` would run.
    const wanted = new Set(['deployment', 'replicaset', 'garbagecollector']);
    const cluster = new Manager({ client: new RestClient({ server: env.url, rateLimit: false }), name: 'cluster-controllers', leaderElection: false });
    for (const c of builtinControllers) if (wanted.has(c.name)) c.register(cluster);
    await cluster.start();
    stops.push(() => cluster.stop());

    // The operator, as main.ts runs it (without leader election: it is alone).
    const operator = new Manager({ client: new RestClient({ server: env.url, rateLimit: false }), name: 'website-operator', leaderElection: false });
    addWebSiteController(operator, { registryNamespace: operatorNamespace });
    await operator.start();
    stops.push(() => operator.stop());

    return { env, client, kubectl, namespace, operatorNamespace, operator, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Successful reconciles of the WebSite controller so far. */
export function reconcileCount(operator: Manager): number {
  return operator.metrics.counter('controller_runtime_reconcile_total', '').get({ controller: 'website', result: 'success' });
}

/** Events about one object, oldest first, as `type reason: message`. */
export async function eventsAbout(client: RestClient, namespace: string, kind: string, name: string): Promise<string[]> {
  const list = await client.resource<Event>({ group: '', version: 'v1', resource: 'events' }, namespace).list();
  return list.items
    .filter((e) => e.involvedObject?.kind === kind && e.involvedObject?.name === name)
    .sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''))
    .map((e) => `${e.type} ${e.reason}: ${e.message}`);
}
