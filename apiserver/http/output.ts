/**
 * How a read answers: the object or list as JSON (or YAML), in the form the client's Accept
 * asks for. The one place where server-side printing (meta.k8s.io Tables) plugs in.
 */
import type { ResourceStore } from '../registry/store';
import { negotiate, sendObject } from './codec';
import type { ApiRequest, Response } from './request';

/** Answers a get or list of `store`'s resource. */
export function sendResource(req: ApiRequest, res: Response, code: number, store: ResourceStore, result: unknown): void {
  void store;
  sendObject(res, code, result, negotiate(req));
}
