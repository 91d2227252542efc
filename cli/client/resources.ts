/**
 * What a verb's arguments name, as kubectl reads them: `TYPE` (every object of the type, or those
 * of -l), `TYPE1,TYPE2`, `TYPE NAME…`, `TYPE/NAME…`, or `-f FILE` (the objects of manifests);
 * and reading them from the server.
 */
import type { KubeObject } from '../../api/kinds/kind';
import { resourcePath } from '../../client/resource';
import type { Session } from './context';
import { apiVersionOf, type ApiResource, type RestMapper } from './discovery';
import { CliError, usageError } from './io';
import { readManifests } from './manifests';

export interface Target {
  readonly resource: ApiResource;
  /** Undefined: every object of the resource (in scope, by selectors). */
  readonly name?: string;
  /** The namespace of a named object from a manifest. */
  readonly namespace?: string;
  /** The manifest it came from. */
  readonly source?: string;
}

/** Targets from positional arguments. */
export function parseTargets(mapper: RestMapper, args: readonly string[]): Target[] {
  if (!args.length) return [];
  if (args.some((a) => a.includes('/'))) {
    return args.map((a) => {
      const slash = a.indexOf('/');
      if (slash <= 0 || slash === a.length - 1) throw usageError(`arguments in resource/name form must have a single resource and name: "${a}"`);
      return { resource: mapper.resolveOne(a.slice(0, slash)), name: a.slice(slash + 1) };
    });
  }
  const [types, ...names] = args;
  const resources = types!
    .split(',')
    .filter(Boolean)
    .flatMap((t) => (names.length ? [mapper.resolveOne(t)] : mapper.resolve(t)));
  if (!names.length) return dedupe(resources).map((resource) => ({ resource }));
  return resources.flatMap((resource) => names.map((name) => ({ resource, name })));
}

function dedupe(resources: ApiResource[]): ApiResource[] {
  const seen = new Set<string>();
  return resources.filter((r) => {
    const k = `${r.group}/${r.resource}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Targets from the objects of manifests (-f). */
export async function fileTargets(session: Session, filenames: readonly string[], recursive: boolean): Promise<Target[]> {
  const mapper = await session.mapper();
  const manifests = await readManifests(session.io, filenames, { recursive });
  return manifests.map(({ object, source }) => {
    const resource = mapper.forKind(object.apiVersion ?? '', object.kind ?? '');
    if (!resource) throw new CliError(`${source}: ${object.kind} "${object.metadata?.name ?? ''}": the server doesn't have a resource type for ${object.kind} in ${object.apiVersion}`);
    const name = object.metadata?.name;
    if (!name) throw new CliError(`${source}: ${object.kind}: metadata.name is required`);
    return { resource, name, ...(resource.namespaced ? { namespace: object.metadata?.namespace ?? session.namespace } : {}), source };
  });
}

/** The path of a target's object (or collection) in `namespace` (ignored for cluster-scoped resources). */
export function targetPath(resource: ApiResource, namespace: string | undefined, name?: string, subresource?: string): string {
  return resourcePath(resource, resource.namespaced ? namespace : undefined, name, subresource);
}

export interface ListScope {
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

/** Every object of a resource in scope. */
export async function listObjects(session: Session, resource: ApiResource, scope: ListScope): Promise<{ items: KubeObject[]; resourceVersion: string }> {
  const path = targetPath(resource, scope.allNamespaces ? undefined : scope.namespace);
  const { items, resourceVersion } = await session.client.listAll<KubeObject>(path, {
    labelSelector: scope.labelSelector || undefined,
    fieldSelector: scope.fieldSelector || undefined,
  });
  // Lists leave out apiVersion and kind of their items; put them back for printing.
  return { items: items.map((o) => ({ apiVersion: apiVersionOf(resource), kind: resource.kind, ...o })), resourceVersion };
}

export async function getObject(session: Session, resource: ApiResource, namespace: string | undefined, name: string): Promise<KubeObject> {
  const obj = await session.client.get<KubeObject>(targetPath(resource, namespace, name));
  return { apiVersion: apiVersionOf(resource), kind: resource.kind, ...obj };
}

/** The namespace a target lives in. */
export function namespaceOf(session: Session, target: Target): string | undefined {
  return target.resource.namespaced ? (target.namespace ?? session.namespace) : undefined;
}

export interface Selection {
  readonly filename?: readonly string[];
  readonly recursive?: boolean;
  readonly selector?: string;
  readonly fieldSelector?: string;
  readonly all?: boolean;
  readonly allNamespaces?: boolean;
}

/**
 * The objects a mutating verb (delete, label, annotate, scale, wait…) acts on, each named: from
 * -f, from TYPE/NAME or TYPE NAME arguments, or every object of TYPE matching -l (or --all).
 * A bare TYPE without -l, --all or names is a usage error, as kubectl's.
 */
export async function selectObjects(session: Session, args: readonly string[], sel: Selection): Promise<Target[]> {
  if (sel.filename?.length) {
    if (args.length) throw usageError('when -f is given, no resource arguments are accepted');
    return fileTargets(session, sel.filename, sel.recursive ?? false);
  }
  if (!args.length) throw usageError('you must specify the type of resource and a name, -l, or --all (e.g. marina delete pod web-1)');
  const targets = parseTargets(await session.mapper(), args);
  const named = targets.filter((t) => t.name !== undefined);
  const unnamed = targets.filter((t) => t.name === undefined);
  if (unnamed.length && !sel.selector && !sel.fieldSelector && !sel.all) throw usageError(`resource(s) were provided, but no name was specified (give a name, -l or --all)`);
  if (named.length && (sel.selector || sel.all)) throw usageError('name cannot be provided when a selector or --all is specified');
  const out = [...named];
  for (const t of unnamed) {
    const { items } = await listObjects(session, t.resource, {
      namespace: session.namespace,
      allNamespaces: sel.allNamespaces ?? false,
      ...(sel.selector ? { labelSelector: sel.selector } : {}),
      ...(sel.fieldSelector ? { fieldSelector: sel.fieldSelector } : {}),
    });
    for (const o of items) out.push({ resource: t.resource, name: o.metadata?.name ?? '', ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}) });
  }
  return out;
}

/** kubectl's note on stderr when nothing matched: `No resources found in NS namespace.` (or without a namespace). */
export function noResourcesFound(session: Session, resources: readonly ApiResource[], allNamespaces: boolean): string {
  if (allNamespaces || !resources.some((r) => r.namespaced)) return 'No resources found\n';
  return `No resources found in ${session.namespace} namespace.\n`;
}
