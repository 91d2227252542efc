/**
 * List continue tokens, as Kubernetes encodes them: base64 of {"v":"meta.k8s.io/v1","rv":N,
 * "start":"<key after the resource prefix>"}. The next page is read at the same revision rv, from
 * the key after `start`.
 */
import { badRequest } from '../../api/status';

export interface ContinueToken {
  /** The revision every page is read at; 0 reads at the latest revision (an inconsistent continuation). */
  readonly revision: number;
  /** The last key returned, relative to the list's prefix. */
  readonly startAfter: string;
}

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.revision, start: token.startAfter })).toString('base64url');
}

export function decodeContinue(value: string): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data or JSON');
  }
  const p = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (p.v !== 'meta.k8s.io/v1') throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof p.rv !== 'number' || !Number.isInteger(p.rv) || p.rv < 0) throw badRequest('continue key is not valid: incorrect encoded start resourceVersion');
  if (typeof p.start !== 'string' || p.start === '' || p.start.includes('..')) throw badRequest('continue key is not valid: start key');
  return { revision: p.rv, startAfter: p.start };
}
