/**
 * The REST operations of a served resource, as Kubernetes' API installer lists them in OpenAPI,
 * before they are written out as v3 or v2 (render.ts):
 *   - collection: list (with watch=true), create, deletecollection; item: read, replace, patch,
 *     delete; all namespaces: list; the deprecated /watch/ paths (watch and watchlist);
 *   - subresources (discovery's subresourcesOf): status and scale (read, replace, patch),
 *     pods/binding and pods/eviction (create), namespaces/finalize (replace), and pods' log
 *     (read, text/plain) and exec (connect, GET and POST);
 * each with Kubernetes' operationId (readCoreV1NamespacedPod), action, group-version-kind and
 * parameters. PATCH accepts JSON patch, merge patch and apply patch, and strategic merge patch
 * for built-in kinds only: kubectl computes a strategic merge patch exactly when it is listed.
 */
import { Scale } from '../../../api/kinds/autoscaling/scale';
import { Binding } from '../../../api/kinds/core/pod';
import type { ResourceKind } from '../../../api/kinds/kind';
import { DeleteOptions, Eviction } from '../../../api/kinds/policy/eviction';
import type { GroupVersionKind, Schema } from '../../../api/schema/schema';
import { subresourcesOf } from '../discovery';
import type { PublishedKind } from './kindSchemas';
import { APIResourceList, Patch, Status, WatchEvent } from './metaSchemas';
import * as p from './parameters';
import type { Parameter } from './parameters';
import { patchTypesOf } from '../patch';

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';
export type Action = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'watch' | 'watchlist' | 'connect';

/** A response body: a schema, or text (logs, exec). */
export type Payload = Schema | 'text';

export interface Operation {
  readonly method: HttpMethod;
  readonly operationId: string;
  readonly description: string;
  /** x-kubernetes-action; absent for the group-version's resource list. */
  readonly action?: Action;
  readonly gvk?: GroupVersionKind;
  readonly parameters: readonly Parameter[];
  readonly body?: { readonly schema: Schema; readonly contentTypes: readonly string[]; readonly required: boolean };
  readonly responses: { readonly codes: readonly (200 | 201 | 202)[]; readonly payload: Payload; readonly contentTypes: readonly string[] };
}

export interface PathItem {
  readonly path: string;
  /** The group-version's tag on every operation: core_v1, apps_v1. */
  readonly tag: string;
  /** Parameters shared by the path's operations (name, namespace, pretty...), sorted by name. */
  readonly parameters: readonly Parameter[];
  readonly operations: readonly Operation[];
}

/** What the generator needs of a served resource. */
export interface ServedResource {
  readonly kind: ResourceKind;
  /** DELETE answers with the object (pods, namespaces, custom resources) rather than a Status. */
  readonly returnsDeletedObject: boolean;
}

const objectTypes = ['application/json', 'application/yaml'];
const streamTypes = ['application/json', 'application/json;stream=watch', 'application/yaml'];
const anyBody = ['*/*'];

/** `/api/v1` or `/apis/<group>/<version>`. */
export function groupVersionPrefix(gv: { readonly group: string; readonly version: string }): string {
  return gv.group === '' ? `/api/${gv.version}` : `/apis/${gv.group}/${gv.version}`;
}

/**
 * Kubernetes' operation names: the verb, the group without .k8s.io ("core" for the legacy group)
 * and the version in camel case, then the rest: readCoreV1NamespacedPod,
 * patchRbacAuthorizationV1ClusterRole. The tag is core_v1, rbacAuthorization_v1.
 */
export function operationNaming(gv: { readonly group: string; readonly version: string }): { id(verb: string, rest: string): string; readonly tag: string } {
  const group = gv.group === '' ? 'core' : gv.group.replace(/\.k8s\.io$/, '');
  const infix = validOperationId(group, true) + validOperationId(gv.version, true);
  return {
    id: (verb, rest) => verb + infix + rest,
    tag: `${validOperationId(group, false)}_${validOperationId(gv.version, false)}`,
  };
}

/** Letters and digits only; what followed a dropped character is capitalized (as Kubernetes' ToValidOperationID). */
function validOperationId(s: string, capitalizeFirst: boolean): string {
  let out = '';
  let capitalize = capitalizeFirst;
  for (const [i, c] of [...s].entries()) {
    if (/\p{L}/u.test(c) || c === '_' || (i > 0 && /\d/.test(c))) {
      out += capitalize ? c.toUpperCase() : c;
      capitalize = false;
    } else {
      capitalize = true;
    }
  }
  return out;
}

/** GET of the group-version itself: its APIResourceList. */
export function resourceListPath(gv: { readonly group: string; readonly version: string }): PathItem {
  return {
    path: `${groupVersionPrefix(gv)}/`,
    tag: operationNaming(gv).tag,
    parameters: [],
    operations: [
      {
        method: 'get',
        operationId: operationNaming(gv).id('get', 'APIResources'),
        description: 'get available resources',
        parameters: [],
        responses: { codes: [200], payload: APIResourceList, contentTypes: objectTypes },
      },
    ],
  };
}

/** Every path of a resource and its subresources. */
export function resourcePaths(resource: ServedResource, published: PublishedKind): PathItem[] {
  const { kind } = resource;
  const { id, tag } = operationNaming(kind);
  const gvk = published.gvk;
  const namespaced = kind.namespaced;
  const prefix = groupVersionPrefix(kind);
  const scope = namespaced ? 'Namespaced' : '';
  const scopePath = namespaced ? '/namespaces/{namespace}' : '';
  const scopeParameters = namespaced ? [p.namespaceParameter] : [];
  const collection = `${prefix}${scopePath}/${kind.plural}`;
  const item = `${collection}/{name}`;
  const itemParameters = (name: string) => [p.nameParameter(name), ...scopeParameters];
  const K = kind.kind;
  const one = published.schema;
  const replies = (codes: readonly (200 | 201 | 202)[], payload: Schema = one) => ({ codes, payload, contentTypes: objectTypes });
  const patchBodyTypes = patchTypesOf(kind);
  const deleted = resource.returnsDeletedObject ? one : Status;

  const read = (rest: string, description: string, payload: Schema, g: GroupVersionKind): Operation => ({
    method: 'get',
    operationId: id('read', rest),
    description,
    action: 'get',
    gvk: g,
    parameters: [],
    responses: replies([200], payload),
  });
  const replace = (rest: string, description: string, payload: Schema, g: GroupVersionKind): Operation => ({
    method: 'put',
    operationId: id('replace', rest),
    description,
    action: 'put',
    gvk: g,
    parameters: p.writeParameters,
    body: { schema: payload, contentTypes: anyBody, required: true },
    responses: replies([200, 201], payload),
  });
  const patch = (rest: string, description: string, payload: Schema, g: GroupVersionKind): Operation => ({
    method: 'patch',
    operationId: id('patch', rest),
    description,
    action: 'patch',
    gvk: g,
    parameters: p.patchParameters,
    body: { schema: Patch, contentTypes: patchBodyTypes, required: true },
    responses: replies([200, 201], payload),
  });
  const create = (rest: string, description: string, payload: Schema, g: GroupVersionKind): Operation => ({
    method: 'post',
    operationId: id('create', rest),
    description,
    action: 'post',
    gvk: g,
    parameters: p.writeParameters,
    body: { schema: payload, contentTypes: anyBody, required: true },
    responses: replies([200, 201, 202], payload),
  });
  const watchPath = (path: string, rest: string, description: string, action: 'watch' | 'watchlist', parameters: readonly Parameter[]): PathItem => ({
    path,
    tag,
    parameters: sortedParameters([...parameters, ...p.listParameters]),
    operations: [
      { method: 'get', operationId: id('watch', rest), description, action, gvk, parameters: [], responses: { codes: [200], payload: WatchEvent, contentTypes: streamTypes } },
    ],
  });

  const paths: PathItem[] = [
    {
      path: collection,
      tag,
      parameters: sortedParameters(scopeParameters),
      operations: [
        {
          method: 'get',
          operationId: id('list', `${scope}${K}`),
          description: `list or watch objects of kind ${K}`,
          action: 'list',
          gvk,
          parameters: p.listParameters,
          responses: { codes: [200], payload: published.list, contentTypes: streamTypes },
        },
        create(`${scope}${K}`, `create${withArticle(K)}`, one, gvk),
        {
          method: 'delete',
          operationId: id('delete', `Collection${scope}${K}`),
          description: `delete collection of ${K}`,
          action: 'deletecollection',
          gvk,
          parameters: p.deleteCollectionParameters,
          body: { schema: DeleteOptions, contentTypes: anyBody, required: false },
          responses: { codes: [200], payload: Status, contentTypes: objectTypes },
        },
      ],
    },
    {
      path: item,
      tag,
      parameters: sortedParameters(itemParameters(K)),
      operations: [
        read(`${scope}${K}`, `read the specified ${K}`, one, gvk),
        replace(`${scope}${K}`, `replace the specified ${K}`, one, gvk),
        patch(`${scope}${K}`, `partially update the specified ${K}`, one, gvk),
        {
          method: 'delete',
          operationId: id('delete', `${scope}${K}`),
          description: `delete${withArticle(K)}`,
          action: 'delete',
          gvk,
          parameters: p.deleteParameters,
          body: { schema: DeleteOptions, contentTypes: anyBody, required: false },
          responses: { codes: [200, 202], payload: deleted, contentTypes: objectTypes },
        },
      ],
    },
    watchPath(
      `${prefix}/watch${scopePath}/${kind.plural}`,
      `${scope}${K}List`,
      `watch individual changes to a list of ${K}. deprecated: use the 'watch' parameter with a list operation instead.`,
      'watchlist',
      scopeParameters,
    ),
    watchPath(
      `${prefix}/watch${scopePath}/${kind.plural}/{name}`,
      `${scope}${K}`,
      `watch changes to an object of kind ${K}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`,
      'watch',
      itemParameters(K),
    ),
  ];
  if (namespaced) {
    paths.push({
      path: `${prefix}/${kind.plural}`,
      tag,
      parameters: sortedParameters(p.listParameters),
      operations: [
        {
          method: 'get',
          operationId: id('list', `${K}ForAllNamespaces`),
          description: `list or watch objects of kind ${K}`,
          action: 'list',
          gvk,
          parameters: [],
          responses: { codes: [200], payload: published.list, contentTypes: streamTypes },
        },
      ],
    });
    paths.push(watchPath(`${prefix}/watch/${kind.plural}`, `${K}ListForAllNamespaces`, `watch individual changes to a list of ${K}. deprecated: use the 'watch' parameter with a list operation instead.`, 'watchlist', []));
  }

  const subresourcePath = (name: string, parameterKind: string, operations: Operation[], extra: readonly Parameter[] = []): PathItem => ({
    path: `${item}/${name}`,
    tag,
    parameters: sortedParameters([...itemParameters(parameterKind), ...extra]),
    operations,
  });
  for (const sub of subresourcesOf(kind)) {
    const name = sub.name;
    const rest = `${scope}${K}${capitalize(name)}`;
    // The kind the subresource reads or writes (Scale is autoscaling/v1, Eviction policy/v1).
    const subGvk = { group: sub.group ?? kind.group, version: sub.version ?? kind.version, kind: sub.kind };
    switch (name) {
      case 'status':
        paths.push(
          subresourcePath(name, K, [
            read(rest, `read status of the specified ${K}`, one, gvk),
            replace(rest, `replace status of the specified ${K}`, one, gvk),
            patch(rest, `partially update status of the specified ${K}`, one, gvk),
          ]),
        );
        break;
      case 'scale':
        paths.push(
          subresourcePath(name, sub.kind, [
            read(rest, `read scale of the specified ${K}`, Scale, subGvk),
            replace(rest, `replace scale of the specified ${K}`, Scale, subGvk),
            patch(rest, `partially update scale of the specified ${K}`, Scale, subGvk),
          ]),
        );
        break;
      case 'binding':
        paths.push(subresourcePath(name, sub.kind, [create(rest, `create binding of${withArticle(K)}`, Binding, subGvk)]));
        break;
      case 'eviction':
        paths.push(subresourcePath(name, sub.kind, [create(rest, `create eviction of${withArticle(K)}`, Eviction, subGvk)]));
        break;
      case 'finalize':
        paths.push(subresourcePath(name, K, [replace(rest, `replace finalize of the specified ${K}`, one, gvk)]));
        break;
      case 'log':
        paths.push(
          subresourcePath(
            name,
            K,
            [{ method: 'get', operationId: id('read', rest), description: `read log of the specified ${K}`, action: 'get', gvk, parameters: [], responses: { codes: [200], payload: 'text', contentTypes: ['text/plain'] } }],
            p.logParameters,
          ),
        );
        break;
      case 'exec': {
        const connect = (method: 'get' | 'post'): Operation => ({
          method,
          operationId: id('connect', `${capitalize(method)}${rest}`),
          description: `connect ${method.toUpperCase()} requests to exec of ${K}`,
          action: 'connect',
          gvk: subGvk,
          parameters: [],
          responses: { codes: [200], payload: 'text', contentTypes: ['*/*'] },
        });
        paths.push(subresourcePath(name, sub.kind, [connect('get'), connect('post')], p.execParameters));
        break;
      }
      default: {
        // Another subresource that reads and writes the object itself; others (connect
        // subresources with options kinds of their own) are not published.
        if (sub.kind !== K || sub.group !== undefined) break;
        const description = (verb: string) => `${verb} ${name} of the specified ${K}`;
        const operations: Operation[] = [];
        if (sub.verbs.includes('get')) operations.push(read(rest, description('read'), one, gvk));
        if (sub.verbs.includes('update')) operations.push(replace(rest, description('replace'), one, gvk));
        if (sub.verbs.includes('patch')) operations.push(patch(rest, description('partially update'), one, gvk));
        if (sub.verbs.includes('create')) operations.push(create(rest, `create ${name} of${withArticle(K)}`, one, gvk));
        if (operations.length) paths.push(subresourcePath(name, K, operations));
      }
    }
  }
  return paths;
}

/** Path parameters and `pretty`, with the given ones, sorted by name as Kubernetes lists them. */
function sortedParameters(parameters: readonly Parameter[]): Parameter[] {
  return [...parameters, p.pretty].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** " a Pod", " an Ingress", " Endpoints": plural kinds go without an article, as in Kubernetes' descriptions. */
function withArticle(kind: string): string {
  if (kind.endsWith('s') && !kind.endsWith('ss')) return ` ${kind}`;
  return ` ${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind}`;
}
