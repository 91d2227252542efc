/**
 * How a read answers: the object or list as JSON (or YAML), in the form the client's Accept
 * asks for: as it is, as a meta.k8s.io Table (what kubectl get asks for), or its metadata only.
 */
import type { ObjectList } from '../registry/list';
import type { ResourceStore } from '../registry/store';
import type { StoredObject } from '../storage/interface';
import { negotiateOutput, sendObject } from './codec';
import type { ApiRequest, Response } from './request';
import { convertOutput } from './table';

/** Answers a get (one object) or list (an ObjectList) of `store`'s resource. */
export function sendResource(req: ApiRequest, res: Response, code: number, store: ResourceStore, result: unknown): void {
  const { media, convert } = negotiateOutput(req);
  const body = convert ? convertOutput(store.kind, result as StoredObject | ObjectList, convert, req.query) : result;
  sendObject(res, code, body, media);
}
