/**
 * Server-side apply on the generic store: the applied configuration is checked (its type, name
 * and namespace, no managedFields, no field outside the schema), then merged into the stored
 * object inside the store's read-modify-write loop, creating the object when there is none.
 * /status applies to status only; /scale applies an autoscaling/v1 Scale to the replicas.
 */
import { cloneJson } from '../../api/util/cloneJson';
import { decodeObject } from '../../api/kinds/decode';
import { apiVersionOf, type KubeObject, type ResourceKind, type Stored } from '../../api/kinds/kind';
import { isPlainObject, normalize } from '../../api/schema/walk';
import * as status from '../../api/status';
import { applyToObject, describe } from './fieldManager';
import type { ResourceStore, ComputedUpdate, WriteOptions, WriteResult } from './store';
import { scaleKind, setPath } from './subresources';

export interface ApplyWriteOptions extends WriteOptions {
  /** Who applies (required: apply has no default manager). */
  readonly fieldManager: string;
  /** Take the fields other managers own instead of failing with a conflict. */
  readonly force: boolean;
}

/** Applies `body` to the object (or its status), creating the object when absent. */
export function applyObject(
  store: ResourceStore,
  namespace: string | undefined,
  name: string,
  body: unknown,
  options: ApplyWriteOptions,
  subresource: 'status' | undefined,
): Promise<WriteResult> {
  const kind = store.kind;
  const config = checkConfiguration(kind, body, name, namespace);
  const applied = (current: Stored | undefined, sub: 'status' | undefined) => applyUpdate(kind, current, config, options, sub);
  return store.guaranteedUpdate(namespace, name, (current) => applied(current, subresource), options, subresource, {
    object: () => applied(undefined, undefined).object,
    always: true,
    managed: true,
  });
}

/** Applies an autoscaling/v1 Scale: its spec.replicas goes to the object's replicas path. */
export function applyScale(store: ResourceStore, namespace: string | undefined, name: string, body: unknown, options: ApplyWriteOptions): Promise<WriteResult> {
  const kind = store.kind;
  const sub = kind.subresources.scale;
  if (!sub) throw status.pathNotFound();
  const scale = checkConfiguration(scaleKind, body, name, namespace);
  const errors = scaleKind.validate!(scale);
  if (errors.length) throw status.invalid(scaleKind, name, errors);
  const meta = scale.metadata ?? {};
  const config: KubeObject = {
    apiVersion: apiVersionOf(kind),
    kind: kind.kind,
    metadata: { name, ...(namespace ? { namespace } : {}), ...(meta.resourceVersion ? { resourceVersion: meta.resourceVersion } : {}) },
  };
  if (scale.spec?.replicas !== undefined) setPath(config, sub.specReplicasPath, scale.spec.replicas);
  return store.guaranteedUpdate(namespace, name, (current) => applyUpdate(kind, current, config, options, 'scale'), options, 'scale');
}

function applyUpdate(kind: ResourceKind, current: Stored | undefined, config: KubeObject, options: ApplyWriteOptions, subresource: string | undefined): ComputedUpdate {
  const { object } = applyToObject(kind, current, config, { manager: options.fieldManager, force: options.force, subresource });
  // The stored resourceVersion came in with the merge; only the configuration's is a precondition.
  if (config.metadata?.resourceVersion === undefined) delete object.metadata?.resourceVersion;
  const { object: decoded } = decodeObject(kind, object, 'Ignore');
  return { object: decoded, warnings: [], managed: true };
}

/**
 * The configuration as an object of `kind` named as on the URL; 400 for another type, a name or
 * namespace that differs from the URL's, managedFields, or a field the schema does not declare
 * (an apply is always strict: its fields are what the manager will own).
 */
function checkConfiguration<T extends KubeObject>(kind: ResourceKind<T>, body: unknown, name: string, namespace: string | undefined): T {
  if (!isPlainObject(body)) throw status.badRequest(`error decoding YAML: the applied configuration must be an object, not ${Array.isArray(body) ? 'a list' : typeof body}`);
  const config = cloneJson(body) as T;
  if (config.apiVersion !== apiVersionOf(kind) || config.kind !== kind.kind) {
    throw status.badRequest(`invalid object type: ${groupVersionKind(config.apiVersion, config.kind)}`);
  }
  if (config.metadata !== undefined && !isPlainObject(config.metadata)) throw status.badRequest('metadata must be an object');
  const meta = (config.metadata ??= {});
  if (meta.managedFields !== undefined) throw status.badRequest('metadata.managedFields must be nil');
  if (meta.name !== undefined && meta.name !== name) {
    throw status.badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`);
  }
  meta.name = name;
  if (kind.namespaced) {
    if (meta.namespace && meta.namespace !== namespace) throw status.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    if (namespace) meta.namespace = namespace;
  } else {
    delete meta.namespace;
  }
  const { unknownFields } = normalize(kind.schema, config);
  if (unknownFields.length > 0) {
    const errors = unknownFields.map((path) => `.${path}: field not declared in schema`);
    throw status.badRequest(`failed to create typed patch object (${describe(kind, config)}): ${errors.length === 1 ? errors[0] : ['errors:', ...errors].join('\n  ')}`);
  }
  return config;
}

/** Go's GroupVersionKind.String(): `apps/v1, Kind=Deployment`, `/v1, Kind=Pod`. */
function groupVersionKind(apiVersion: unknown, kind: unknown): string {
  const version = typeof apiVersion === 'string' ? apiVersion : '';
  const groupVersion = version.includes('/') ? version : `/${version}`;
  return `${groupVersion}, Kind=${typeof kind === 'string' ? kind : ''}`;
}
