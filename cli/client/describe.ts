/**
 * `marina describe TYPE [NAME_PREFIX…] | TYPE/NAME | -f FILE [-l SELECTOR]`: each object as
 * kubectl describes it — name, namespace, labels, annotations (less the last-applied
 * configuration), the kind's own sections (describers.ts), and the events about it, oldest first.
 * A name that matches nothing exactly describes the objects whose names start with it.
 */
import { Command } from 'commander';
import type { KubeObject } from '../../api/kinds/kind';
import { isStatusError } from '../../api/status';
import { lastAppliedAnnotation } from './applyObject';
import type { Cli } from './command';
import { collect } from './command';
import type { Session } from './context';
import { describeGeneric, describers } from './describers';
import { DescribeWriter, age, describeTime } from './describeWriter';
import { CliError, errorMessage, usageError } from './io';
import { eventTime } from './readiness';
import { fileTargets, getObject, listObjects, namespaceOf, noResourcesFound, parseTargets, type Target } from './resources';

interface DescribeOptions {
  readonly filename?: string[];
  readonly recursive?: boolean;
  readonly selector?: string;
  readonly allNamespaces?: boolean;
  readonly showEvents: boolean;
}

interface EventLike extends KubeObject {
  readonly involvedObject?: { readonly uid?: string; readonly fieldPath?: string };
  readonly type?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly count?: number;
  readonly firstTimestamp?: string;
  readonly source?: { readonly component?: string };
  readonly reportingComponent?: string;
}

export function describeCommand(cli: Cli): Command {
  const cmd = new Command('describe')
    .description('Show details of resources and the events about them (pods, deployments, replicasets, jobs, nodes, services, …)')
    .argument('[type-and-names...]', 'TYPE [NAME_PREFIX…] or TYPE/NAME…')
    .option('-f, --filename <file>', 'the objects of these manifests', collect)
    .option('-R, --recursive', 'with -f DIR, read subdirectories too')
    .option('-l, --selector <selector>', 'label selector')
    .option('-A, --all-namespaces', 'in every namespace')
    .option('--no-show-events', 'leave the events out');
  return cli.verb<DescribeOptions>(cmd, async (ctx) => {
    const opts = ctx.opts;
    const session = await ctx.session();
    const targets = opts.filename?.length ? await fileTargets(session, opts.filename, opts.recursive ?? false) : parseTargets(await session.mapper(), ctx.args);
    if (!targets.length) throw usageError('you must specify the type of resource to describe (e.g. marina describe pods)');
    const objects: KubeObject[] = [];
    let failed = false;
    for (const t of targets) {
      try {
        objects.push(...(await objectsOf(session, t, opts)));
      } catch (err) {
        session.io.stderr.write(`error: ${errorMessage(err)}\n`);
        failed = true;
      }
    }
    if (!objects.length && !failed) session.io.stderr.write(noResourcesFound(session, targets.map((t) => t.resource), opts.allNamespaces ?? false));
    const texts: string[] = [];
    for (const obj of objects) texts.push(await describeObject(session, obj, opts.showEvents));
    session.io.stdout.write(texts.join('\n\n'));
    return failed ? 1 : 0;
  });
}

async function objectsOf(session: Session, t: Target, opts: DescribeOptions): Promise<KubeObject[]> {
  const scope = { namespace: session.namespace, allNamespaces: opts.allNamespaces ?? false, ...(opts.selector ? { labelSelector: opts.selector } : {}) };
  if (t.name === undefined) return (await listObjects(session, t.resource, scope)).items;
  try {
    return [await getObject(session, t.resource, namespaceOf(session, t), t.name)];
  } catch (err) {
    if (!isStatusError(err, 404)) throw err;
    const prefixed = (await listObjects(session, t.resource, { ...scope, ...(t.namespace ? { namespace: t.namespace } : {}) })).items.filter((o) => o.metadata?.name?.startsWith(t.name!));
    if (!prefixed.length) throw err;
    return prefixed;
  }
}

async function relatedOf(session: Session, obj: KubeObject): Promise<KubeObject[]> {
  const ns = obj.metadata?.namespace;
  const withKind = (kind: string, items: KubeObject[]) => items.map((i) => ({ ...i, kind }));
  try {
    switch (obj.kind) {
      case 'Deployment':
        return withKind('ReplicaSet', (await session.client.listAll<KubeObject>(`/apis/apps/v1/namespaces/${ns}/replicasets`)).items);
      case 'ReplicaSet':
        return withKind('Pod', (await session.client.listAll<KubeObject>(`/api/v1/namespaces/${ns}/pods`)).items.filter((p) => p.metadata?.ownerReferences?.some((o) => o.uid === obj.metadata?.uid)));
      case 'Node':
        return withKind('Pod', (await session.client.listAll<KubeObject>('/api/v1/pods', { fieldSelector: `spec.nodeName=${obj.metadata?.name}` })).items);
      case 'Service':
        return [{ ...(await session.client.get<KubeObject>(`/api/v1/namespaces/${ns}/endpoints/${obj.metadata?.name}`)), kind: 'Endpoints' }];
      default:
        return [];
    }
  } catch {
    return []; // what cannot be read is left out, as kubectl does
  }
}

export async function describeObject(session: Session, obj: KubeObject, showEvents: boolean): Promise<string> {
  const w = new DescribeWriter();
  const meta = obj.metadata ?? {};
  w.field(0, 'Name', meta.name ?? '');
  if (meta.namespace) w.field(0, 'Namespace', meta.namespace);
  if (obj.kind !== 'Pod') w.field(0, 'CreationTimestamp', describeTime(meta.creationTimestamp));
  w.map(0, 'Labels', meta.labels);
  const annotations = { ...(meta.annotations ?? {}) };
  delete annotations[lastAppliedAnnotation];
  w.map(0, 'Annotations', annotations);
  const describer = describers[obj.kind ?? ''];
  if (describer) describer(w, obj, { related: await relatedOf(session, obj) });
  else describeGeneric(w, obj);
  if (showEvents) await events(session, w, obj);
  return w.toString();
}

async function events(session: Session, w: DescribeWriter, obj: KubeObject): Promise<void> {
  const ns = obj.metadata?.namespace ?? 'default';
  let items: EventLike[] = [];
  try {
    items = (await session.client.listAll<EventLike>(`/api/v1/namespaces/${ns}/events`, { fieldSelector: `involvedObject.uid=${obj.metadata?.uid ?? ''}` })).items;
  } catch (err) {
    if (!isStatusError(err)) throw new CliError(errorMessage(err));
  }
  if (!items.length) {
    w.field(0, 'Events', '<none>');
    return;
  }
  items.sort((a, b) => eventTime(a).localeCompare(eventTime(b)));
  w.line(0, 'Events:');
  const now = Date.now();
  w.table(
    1,
    ['Type', 'Reason', 'Age', 'From', 'Message'],
    items.map((e) => {
      const last = age(eventTime(e), now);
      const seen = (e.count ?? 1) > 1 ? `${last} (x${e.count} over ${age(e.firstTimestamp ?? eventTime(e), now)})` : last;
      return [e.type ?? '', e.reason ?? '', seen, e.source?.component || e.reportingComponent || '', (e.message ?? '').trim()];
    }),
  );
}
