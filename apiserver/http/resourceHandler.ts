/**
 * Serves one resource request: maps the verb (and subresource) to the resource's store and writes
 * the answer. Every failure is thrown as a StatusError and answered by the error filter.
 */
import type { ApiRequest, Response } from './request';
import { decodeObject } from '../../api/kinds/decode';
import * as status from '../../api/status';
import type { ResourceRegistry } from '../registry/resourceRegistry';
import type { ResourceStore, Subresource, UpdateFn, WriteOptions } from '../registry/store';
import { bindingUpdate, finalizeUpdate, scaleUpdate, toScale } from '../registry/subresources';
import { negotiate, parseObjectBody, sendObject } from './codec';
import { patchFunction } from './patch';
import { deleteOptions, listParams, param, writeOptions } from './query';
import type { ResourceRequest } from './requestInfo';
import { serveWatch, type WatchServeOptions } from './watchHandler';

export interface ResourceHandlerOptions extends WatchServeOptions {
  readonly registry: ResourceRegistry;
}

export async function serveResource(options: ResourceHandlerOptions, req: ApiRequest, res: Response, info: ResourceRequest): Promise<void> {
  const store = options.registry.lookup(info.group, info.version, info.resource);
  if (!store) throw status.pathNotFound();
  const kind = store.kind;
  if (!kind.namespaced && info.namespace) throw status.pathNotFound();
  const namespace = kind.namespaced ? info.namespace : undefined;
  const media = negotiate(req);
  const gr = store.groupResource;

  if (info.subresource) return serveSubresource(store, req, res, info, namespace);

  const needsName = info.verb === 'get' || info.verb === 'update' || info.verb === 'patch' || info.verb === 'delete';
  if (needsName && !info.name) throw status.methodNotSupported(gr, info.verb);
  if (info.verb === 'create' && info.name) throw status.methodNotSupported(gr, 'create');
  // Namespaced writes and reads of one object need the namespace in the path.
  if (kind.namespaced && !namespace && info.verb !== 'list' && info.verb !== 'watch') throw status.methodNotSupported(gr, info.verb);

  switch (info.verb) {
    case 'get':
      return sendObject(res, 200, await store.get(namespace, info.name!, param(req.query, 'resourceVersion')), media);
    case 'list':
      return sendObject(res, 200, await store.list(namespace, listParams(req.query)), media);
    case 'watch':
      return serveWatch(options, store, req, res, namespace, info.name);
    case 'create': {
      const result = await store.create(namespace, parseObjectBody(req), writeOptions(req.query));
      return sendObject(res, 201, result.object, media, result.warnings);
    }
    case 'update': {
      const result = await store.update(namespace, info.name!, parseObjectBody(req), writeOptions(req.query), undefined);
      return sendObject(res, result.created ? 201 : 200, result.object, media, result.warnings);
    }
    case 'patch': {
      const result = await store.guaranteedUpdate(namespace, info.name!, patchUpdate(store, req, writeOptions(req.query)), writeOptions(req.query), undefined);
      return sendObject(res, 200, result.object, media, result.warnings);
    }
    case 'delete': {
      const result = await store.delete(namespace, info.name!, deleteOptions(req));
      if (result.deleted && !store.strategy.returnDeletedObject) {
        const { name, uid } = result.object.metadata;
        return sendObject(res, 200, status.success({ name: name!, group: kind.group, kind: kind.plural, ...(uid ? { uid } : {}) }), media);
      }
      return sendObject(res, 200, result.object, media);
    }
    case 'deletecollection':
      return sendObject(res, 200, await store.deleteCollection(namespace, listParams(req.query), deleteOptions(req)), media);
  }
}

/** A PATCH of the main resource or of status: the patch applies to the whole stored object. */
function patchUpdate(store: ResourceStore, req: ApiRequest, options: WriteOptions): UpdateFn {
  const apply = patchFunction(req);
  return (current) => decodeObject(store.kind, apply(current), options.fieldValidation);
}

async function serveSubresource(store: ResourceStore, req: ApiRequest, res: Response, info: ResourceRequest, namespace: string | undefined): Promise<void> {
  const kind = store.kind;
  const media = negotiate(req);
  const name = info.name;
  const sub = info.subresource!;
  const unsupported = () => status.methodNotSupported({ group: kind.group, resource: `${kind.plural}/${sub}` }, info.verb);
  if (!name || (kind.namespaced && !namespace)) throw status.pathNotFound();
  const options = () => writeOptions(req.query);

  if (sub === 'status' && kind.subresources.status) {
    const subresource: Subresource = 'status';
    switch (info.verb) {
      case 'get':
        return sendObject(res, 200, await store.get(namespace, name), media);
      case 'update': {
        const result = await store.update(namespace, name, parseObjectBody(req), options(), subresource);
        return sendObject(res, 200, result.object, media, result.warnings);
      }
      case 'patch': {
        const result = await store.guaranteedUpdate(namespace, name, patchUpdate(store, req, options()), options(), subresource);
        return sendObject(res, 200, result.object, media, result.warnings);
      }
      default:
        throw unsupported();
    }
  }

  const scale = kind.subresources.scale;
  if (sub === 'scale' && scale) {
    let update: UpdateFn;
    switch (info.verb) {
      case 'get':
        return sendObject(res, 200, toScale(await store.get(namespace, name), scale), media);
      case 'update': {
        const body = parseObjectBody(req);
        update = scaleUpdate(scale, () => structuredClone(body), options().fieldValidation);
        break;
      }
      case 'patch': {
        const apply = patchFunction(req);
        update = scaleUpdate(scale, (current) => apply(current), options().fieldValidation);
        break;
      }
      default:
        throw unsupported();
    }
    const result = await store.guaranteedUpdate(namespace, name, update, options(), 'scale');
    return sendObject(res, 200, toScale(result.object, scale), media, result.warnings);
  }

  if (sub === 'binding' && kind.group === '' && kind.plural === 'pods') {
    if (info.verb !== 'create') throw unsupported();
    await store.guaranteedUpdate(namespace, name, bindingUpdate(name, parseObjectBody(req)), options(), 'binding');
    return sendObject(res, 201, { ...status.success(), code: 201 }, media);
  }

  if (sub === 'finalize' && kind.group === '' && kind.plural === 'namespaces') {
    if (info.verb !== 'update') throw unsupported();
    const result = await store.guaranteedUpdate(namespace, name, finalizeUpdate(parseObjectBody(req)), options(), 'finalize');
    return sendObject(res, 200, result.object, media);
  }

  throw status.pathNotFound();
}
