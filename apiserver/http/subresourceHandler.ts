/**
 * Subresources: status (any kind that has one), scale (autoscaling/v1 Scale), pods/binding,
 * namespaces/finalize, pods/eviction, and pods/log and pods/exec (proxied to the pod's node agent,
 * apiserver/nodeProxy). Each maps its verbs onto the resource's store.
 */
import { cloneJson } from '../../api/util/cloneJson';
import { decodeObject } from '../../api/kinds/decode';
import { asV1Eviction, evictionKind } from '../../api/kinds/policy/eviction';
import * as status from '../../api/status';
import { servePodExec } from '../nodeProxy/podExec';
import { servePodLog } from '../nodeProxy/podLog';
import { evictPod } from '../registry/eviction';
import type { ResourceRegistry } from '../registry/resourceRegistry';
import type { ResourceStore, Subresource, UpdateFn } from '../registry/store';
import type { DeleteOptions } from '../registry/strategy';
import { bindingUpdate, finalizeUpdate, scaleUpdate, toScale } from '../registry/subresources';
import { isApplyPatch, serveApply } from './apply';
import { negotiate, parseObjectBody, sendObject, sendStoredObject } from './codec';
import { patchFunction, patchUpdate } from './patch';
import { deleteOptionsFrom, writeOptions } from './query';
import type { ApiRequest, Response } from './request';
import type { ResourceRequest } from './requestInfo';

export async function serveSubresource(
  store: ResourceStore,
  req: ApiRequest,
  res: Response,
  info: ResourceRequest,
  namespace: string | undefined,
  registry: ResourceRegistry,
): Promise<void> {
  const kind = store.kind;
  const media = negotiate(req);
  const name = info.name;
  const sub = info.subresource!;
  const unsupported = () => status.methodNotSupported({ group: kind.group, resource: `${kind.plural}/${sub}` }, info.verb);
  if (!name || (kind.namespaced && !namespace)) throw status.pathNotFound();
  const options = () => writeOptions(req);
  if (info.verb === 'patch' && isApplyPatch(req) && (sub === 'status' || sub === 'scale')) {
    return serveApply(store, req, res, namespace, name, sub);
  }

  if (sub === 'status' && kind.subresources.status) {
    const subresource: Subresource = 'status';
    switch (info.verb) {
      case 'get':
        return sendObject(res, 200, await store.get(namespace, name), media);
      case 'update': {
        const result = await store.update(namespace, name, parseObjectBody(req), options(), subresource);
        return sendStoredObject(res, 200, result.object, media, result.warnings);
      }
      case 'patch': {
        const result = await store.guaranteedUpdate(namespace, name, patchUpdate(store, req, options()), options(), subresource);
        return sendStoredObject(res, 200, result.object, media, result.warnings);
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
        update = scaleUpdate(scale, () => cloneJson(body), options().fieldValidation);
        break;
      }
      case 'patch': {
        const apply = patchFunction(req, kind);
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

  if (kind.group === '' && kind.plural === 'pods' && namespace) {
    switch (sub) {
      case 'eviction':
        if (info.verb !== 'create') throw unsupported();
        await evictPod(registry, namespace, name, evictionDeleteOptions(req, namespace, name));
        return sendObject(res, 201, { ...status.success(), code: 201 }, media);
      case 'log':
        if (info.verb !== 'get') throw unsupported();
        return servePodLog({ registry }, req, res, namespace, name);
      case 'exec':
        // WebSocket upgrades are GETs; kubectl's SPDY fallback POSTs (and is told it is not served).
        if (info.verb !== 'get' && info.verb !== 'create') throw unsupported();
        return servePodExec({ registry }, req, namespace, name);
    }
  }

  if (sub === 'finalize' && kind.group === '' && kind.plural === 'namespaces') {
    if (info.verb !== 'update') throw unsupported();
    const result = await store.guaranteedUpdate(namespace, name, finalizeUpdate(parseObjectBody(req)), options(), 'finalize');
    return sendObject(res, 200, result.object, media);
  }

  throw status.pathNotFound();
}

/**
 * The DeleteOptions of a policy/v1 (or v1beta1) Eviction body, whose name must be the pod's. A
 * dry run asked in the query applies when the body asks none (propagateDryRun).
 */
function evictionDeleteOptions(req: ApiRequest, namespace: string, name: string): DeleteOptions {
  const query = writeOptions(req);
  const { object: eviction } = decodeObject(evictionKind, asV1Eviction(parseObjectBody(req)), query.fieldValidation);
  if (eviction.metadata?.name !== name) throw status.badRequest('name in URL does not match name in Eviction object');
  if (eviction.metadata.namespace && eviction.metadata.namespace !== namespace) {
    throw status.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const options = deleteOptionsFrom(eviction.deleteOptions ?? {});
  return { ...options, dryRun: options.dryRun || query.dryRun };
}
