/**
 * Parses a request path into what it addresses, as Kubernetes' RequestInfoFactory does:
 *   /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}
 *   /apis/{group}/{version}/{resource}/{name}        (cluster-scoped, or all namespaces)
 *   /api/v1/watch/namespaces/{ns}/{resource}          (legacy watch prefix)
 *   /api/v1/namespaces/{name}/status|finalize         (the namespace's own subresources)
 * Anything else under /api or /apis (discovery) is not a resource request.
 */
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequest {
  readonly kind: 'resource';
  readonly verb: Verb;
  readonly group: string;
  readonly version: string;
  readonly namespace: string | undefined;
  readonly resource: string;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

export interface NonResourceRequest {
  readonly kind: 'nonResource';
  /** Path segments after /api or /apis, for discovery: [], [v1], [group], [group, version]. */
  readonly prefix: 'api' | 'apis' | undefined;
  readonly segments: readonly string[];
}

export type RequestInfo = ResourceRequest | NonResourceRequest;

const namespaceSubresources = new Set(['status', 'finalize']);

export function parseRequestInfo(method: string, path: string, query: { readonly watch?: unknown }): RequestInfo | undefined {
  const segments = path.split('/').filter((s) => s !== '').map(safeDecode);
  if (segments.some((s) => s === undefined)) return undefined;
  const parts = segments as string[];
  const prefix = parts[0];
  if (prefix !== 'api' && prefix !== 'apis') return { kind: 'nonResource', prefix: undefined, segments: parts };
  const groupVersionLength = prefix === 'api' ? 1 : 2;
  let rest = parts.slice(1 + groupVersionLength);
  if (parts.length <= 1 + groupVersionLength || rest.length === 0) return { kind: 'nonResource', prefix, segments: parts.slice(1) };
  const group = prefix === 'api' ? '' : parts[1]!;
  const version = prefix === 'api' ? parts[1]! : parts[2]!;

  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !namespaceSubresources.has(rest[2]!)) rest = rest.slice(2);
  }
  if (rest.length === 0 || rest.length > 3) return undefined;
  const [resource, name, subresource] = rest as [string, string | undefined, string | undefined];
  // /api/v1/namespaces/{name}: the namespace object itself.
  if (resource === 'namespaces') namespace = undefined;

  const watchParam = query.watch === 'true' || query.watch === '1';
  let verb: Verb;
  switch (method) {
    case 'GET':
    case 'HEAD':
      verb = watchPrefix || watchParam ? 'watch' : name ? 'get' : 'list';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name ? 'delete' : 'deletecollection';
      break;
    default:
      return undefined;
  }
  return { kind: 'resource', verb, group, version, namespace, resource, name, subresource };
}

function safeDecode(segment: string): string | undefined {
  if (!segment.includes('%')) return segment; // nothing escaped: the common case, without a decode
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Requests that hold their connection open: exempt from the in-flight limit and the timeout. */
export function isLongRunning(info: RequestInfo | undefined): boolean {
  if (!info || info.kind !== 'resource') return false;
  return info.verb === 'watch' || ['exec', 'attach', 'portforward', 'proxy', 'log'].includes(info.subresource ?? '');
}
