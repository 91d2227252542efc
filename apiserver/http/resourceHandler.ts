/**
 * Serves one resource request: maps the verb (and subresource) to the resource's store and writes
 * the answer. Every failure is thrown as a StatusError and answered by the error filter.
 */
import type { ApiRequest, Response } from './request';
import * as status from '../../api/status';
import type { ResourceRegistry } from '../registry/resourceRegistry';
import { isApplyPatch, serveApply } from './apply';
import { sendResource } from './output';
import { serveSubresource } from './subresourceHandler';
import { negotiate, parseObjectBody, sendObject, sendStoredObject } from './codec';
import { patchUpdate } from './patch';
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

  if (info.subresource) return serveSubresource(store, req, res, info, namespace, options.registry);
  if (info.verb === 'patch' && isApplyPatch(req)) return serveApply(store, req, res, namespace, info.name, undefined);

  const needsName = info.verb === 'get' || info.verb === 'update' || info.verb === 'patch' || info.verb === 'delete';
  if (needsName && !info.name) throw status.methodNotSupported(gr, info.verb);
  if (info.verb === 'create' && info.name) throw status.methodNotSupported(gr, 'create');
  // Namespaced writes and reads of one object need the namespace in the path.
  if (kind.namespaced && !namespace && info.verb !== 'list' && info.verb !== 'watch') throw status.methodNotSupported(gr, info.verb);

  switch (info.verb) {
    case 'get':
      return sendResource(req, res, 200, store, await store.get(namespace, info.name!, param(req.query, 'resourceVersion')));
    case 'list':
      return sendResource(req, res, 200, store, await store.list(namespace, listParams(req.query)));
    case 'watch':
      return serveWatch(options, store, req, res, namespace, info.name);
    case 'create': {
      const result = await store.create(namespace, parseObjectBody(req), writeOptions(req));
      return sendStoredObject(res, 201, result.object, media, result.warnings);
    }
    case 'update': {
      const result = await store.update(namespace, info.name!, parseObjectBody(req), writeOptions(req), undefined);
      return sendStoredObject(res, result.created ? 201 : 200, result.object, media, result.warnings);
    }
    case 'patch': {
      const result = await store.guaranteedUpdate(namespace, info.name!, patchUpdate(store, req, writeOptions(req)), writeOptions(req), undefined);
      return sendStoredObject(res, 200, result.object, media, result.warnings);
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

