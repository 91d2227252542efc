/**
 * Applying one manifest object, as kubectl apply does. Client-side: the object keeps its last
 * applied configuration in the `kubectl.kubernetes.io/last-applied-configuration` annotation; an
 * object that does not exist is created with it, one that exists gets the three-way patch of
 * (last applied, manifest, live) — strategic for built-in kinds, a JSON merge patch for custom
 * resources. Server-side (`--server-side`): an apply patch with field manager `marina` (or
 * --field-manager). Dry runs: `server` sends the requests with dryRun=All; `client` sends nothing
 * that writes and computes the result locally.
 */
import type { KubeObject } from '../../api/kinds/kind';
import { applyMergePatch } from '../../api/patch/mergePatch';
import { applyStrategicMergePatch } from '../../api/patch/strategicMergePatch';
import { isStatusError } from '../../api/status';
import type { Schema } from '../../api/schema/schema';
import type { Session } from './context';
import { apiVersionOf, type ApiResource } from './discovery';
import { CliError } from './io';
import type { ManifestObject } from './manifests';
import { targetPath } from './resources';
import { createThreeWayPatch } from './threeWay';

export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

export type DryRun = 'none' | 'client' | 'server';

export interface ApplyObjectOptions {
  readonly serverSide: boolean;
  readonly forceConflicts: boolean;
  readonly fieldManager: string;
  readonly dryRun: DryRun;
}

export type ApplyAction = 'created' | 'configured' | 'unchanged' | 'serverside-applied';

export interface ApplyResult {
  readonly action: ApplyAction;
  /** The object as the server answered (or as it would be, for a client dry run). */
  readonly object: KubeObject;
  /** The object before (undefined: it did not exist). */
  readonly live: KubeObject | undefined;
}

/** A manifest object with its resource and the namespace it goes to. */
export interface PlacedObject {
  readonly manifest: ManifestObject;
  readonly resource: ApiResource;
  readonly namespace: string | undefined;
  readonly name: string;
}

/** `deploy.yaml: Deployment "web"`: how errors name an object. */
export function describeSource(p: { readonly manifest: ManifestObject }): string {
  return `${p.manifest.source}: ${p.manifest.object.kind} "${p.manifest.object.metadata?.name ?? ''}"`;
}

/** Maps manifests to resources and namespaces; throws (naming the file and object) for what cannot be placed. */
export async function placeObjects(session: Session, manifests: readonly ManifestObject[]): Promise<PlacedObject[]> {
  const mapper = await session.mapper();
  return manifests.map((manifest) => {
    const { object, source } = manifest;
    const where = `${source}: ${object.kind} "${object.metadata?.name ?? ''}"`;
    const resource = mapper.forKind(object.apiVersion ?? '', object.kind ?? '');
    if (!resource) throw new CliError(`${where}: no matches for kind "${object.kind}" in version "${object.apiVersion}" (is its CustomResourceDefinition installed?)`);
    const name = object.metadata?.name;
    if (!name) throw new CliError(`${source}: ${object.kind}: metadata.name is required`);
    let namespace: string | undefined;
    if (resource.namespaced) {
      const own = object.metadata?.namespace;
      if (own && session.namespaceExplicit && own !== session.namespace) {
        throw new CliError(`${where}: the namespace from the provided object "${own}" does not match the namespace "${session.namespace}". You must pass '--namespace=${own}' to perform this operation.`);
      }
      namespace = own || session.namespace;
    }
    return { manifest, resource, namespace, name };
  });
}

/**
 * The built-in kind's schema (strategic merge patch), undefined for custom resources. The kinds
 * (and their validators) are loaded on first use: the verbs that never patch start faster.
 */
export function builtinSchema(resource: ApiResource): Schema | undefined {
  const { builtinKinds } = require('../../api/kinds/registry') as typeof import('../../api/kinds/registry');
  return builtinKinds.find((k) => k.group === resource.group && k.version === resource.version && k.kind === resource.kind)?.schema;
}

/** The manifest as sent: apiVersion/kind/namespace set, the last-applied annotation added (client-side). */
function modifiedObject(p: PlacedObject, withAnnotation: boolean): KubeObject {
  const obj = structuredClone(p.manifest.object);
  const metadata = { ...(obj.metadata ?? {}) };
  if (p.namespace !== undefined) metadata.namespace = p.namespace;
  else delete metadata.namespace;
  if (withAnnotation) {
    const annotations = { ...(metadata.annotations ?? {}) };
    delete annotations[lastAppliedAnnotation];
    const original: KubeObject = { ...obj, metadata: { ...metadata, annotations } };
    if (!Object.keys(annotations).length) delete original.metadata!.annotations;
    annotations[lastAppliedAnnotation] = JSON.stringify(original) + '\n';
    metadata.annotations = annotations;
  }
  return { ...obj, metadata };
}

const withKind = (resource: ApiResource, obj: KubeObject): KubeObject => ({ ...obj, apiVersion: apiVersionOf(resource), kind: resource.kind });

export async function applyObject(session: Session, p: PlacedObject, options: ApplyObjectOptions): Promise<ApplyResult> {
  const client = session.client;
  const path = targetPath(p.resource, p.namespace, p.name);
  const dryRun = options.dryRun === 'server' ? { dryRun: 'All' } : {};
  let live: KubeObject | undefined;
  try {
    live = withKind(p.resource, await client.get<KubeObject>(path));
  } catch (err) {
    if (!isStatusError(err, 404)) throw err;
  }
  if (options.serverSide) {
    const body = modifiedObject(p, false);
    if (options.dryRun === 'client') return { action: 'serverside-applied', object: live ? { ...live, ...body } : body, live };
    const object = await client.call<KubeObject>('PATCH', path, {
      rawBody: JSON.stringify(body),
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: options.fieldManager, ...(options.forceConflicts ? { force: 'true' } : {}), ...dryRun },
    });
    return { action: 'serverside-applied', object: withKind(p.resource, object), live };
  }
  const modified = modifiedObject(p, true);
  if (!live) {
    if (options.dryRun === 'client') return { action: 'created', object: modified, live };
    const object = await client.create<KubeObject>(targetPath(p.resource, p.namespace), modified, { fieldManager: 'kubectl-client-side-apply', ...dryRun });
    return { action: 'created', object: withKind(p.resource, object), live };
  }
  const schema = builtinSchema(p.resource);
  const patch = threeWayPatch(live, modified, schema);
  if (!Object.keys(patch).length) return { action: 'unchanged', object: live, live };
  if (options.dryRun === 'client') {
    const object = (schema ? applyStrategicMergePatch(schema, live, patch) : applyMergePatch(live, patch)) as KubeObject;
    return { action: 'configured', object, live };
  }
  const object = await client.call<KubeObject>('PATCH', path, {
    body: patch,
    contentType: schema ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json',
    query: { fieldManager: 'kubectl-client-side-apply', ...dryRun },
  });
  return { action: 'configured', object: withKind(p.resource, object), live };
}

/** The three-way patch from the live object to the manifest (with its last-applied annotation). */
export function threeWayPatch(live: KubeObject, modified: KubeObject, schema: Schema | undefined): Record<string, unknown> {
  const text = live.metadata?.annotations?.[lastAppliedAnnotation];
  let original: Record<string, unknown> | undefined;
  if (text) {
    try {
      original = JSON.parse(text) as Record<string, unknown>;
    } catch {
      original = undefined; // a damaged annotation: patch as if first applied
    }
  }
  return createThreeWayPatch(original, modified as Record<string, unknown>, live as Record<string, unknown>, { strategic: schema !== undefined, ...(schema ? { schema } : {}) });
}
