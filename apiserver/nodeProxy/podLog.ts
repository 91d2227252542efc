/**
 * pods/log: GET .../pods/NAME/log?container=&follow=&tailLines=&timestamps=&sinceSeconds=&
 * sinceTime=&previous=&limitBytes= reads the log from the agent of the pod's node
 * (client/nodeAgent.ts) and streams its bytes back as text/plain, flushed as they come while
 * following, until the agent ends the log or the client goes away. As Kubernetes: options are
 * validated first (422 PodLogOptions), then the pod and container (400), and a pod not yet on a
 * node has no log: 204 No Content.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import * as field from '../../api/field/errors';
import type { FieldError } from '../../api/field/errors';
import * as status from '../../api/status';
import { containerLogsQuery, containerPath, nodeAgentUrl, type ContainerLogOptions } from '../../client/nodeAgent';
import type { ApiRequest, Query, Response } from '../http/request';
import { bool, optionalInt, param } from '../http/query';
import { defaultDialTimeoutMs, dialErrorMessage, nodeAgentError, nodeAgentOf, podContainer, readBodyText, type NodeProxyOptions } from './podTarget';

/** An error body larger than this is cut (GenericHttpResponseChecker reads at most 50000 bytes). */
const maxErrorBodyBytes = 50_000;

/** PodLogOptions from the query string: 400 for malformed values, 422 for invalid ones (ValidatePodLogOptions). */
export function podLogOptions(query: Query, podName: string): ContainerLogOptions {
  const tailLines = optionalInt(query, 'tailLines');
  const limitBytes = optionalInt(query, 'limitBytes');
  const sinceSeconds = optionalInt(query, 'sinceSeconds');
  const sinceTimeRaw = param(query, 'sinceTime');
  let sinceTime: string | undefined;
  if (sinceTimeRaw !== '') {
    const at = Date.parse(sinceTimeRaw);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(sinceTimeRaw) || Number.isNaN(at)) throw status.badRequest(`sinceTime: Invalid value: "${sinceTimeRaw}": must be an RFC 3339 time`);
    sinceTime = new Date(at).toISOString().slice(0, 19) + 'Z';
  }
  const errs: FieldError[] = [];
  if (tailLines !== undefined && tailLines < 0) errs.push(field.invalid('tailLines', tailLines, 'must be greater than or equal to 0'));
  if (limitBytes !== undefined && limitBytes < 1) errs.push(field.invalid('limitBytes', limitBytes, 'must be greater than 0'));
  if (sinceSeconds !== undefined && sinceTime !== undefined) errs.push(field.forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  else if (sinceSeconds !== undefined && sinceSeconds < 1) errs.push(field.invalid('sinceSeconds', sinceSeconds, 'must be greater than 0'));
  if (errs.length) throw status.invalid({ group: '', kind: 'PodLogOptions' }, podName, errs);
  return {
    follow: bool(query, 'follow') ?? false,
    previous: bool(query, 'previous') ?? false,
    timestamps: bool(query, 'timestamps') ?? false,
    ...(tailLines !== undefined ? { tailLines } : {}),
    ...(limitBytes !== undefined ? { limitBytes } : {}),
    ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
    ...(sinceTime !== undefined ? { sinceTime } : {}),
  };
}

export async function servePodLog(options: NodeProxyOptions, req: ApiRequest, res: Response, namespace: string, name: string): Promise<void> {
  const logOptions = podLogOptions(req.query, name);
  const { pod, container } = await podContainer(options.registry, namespace, name, param(req.query, 'container'));
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) {
    res.statusCode = 204;
    res.end();
    return;
  }
  const endpoint = await nodeAgentOf(options.registry, nodeName);
  const url = nodeAgentUrl(endpoint, containerPath('containerLogs', { namespace, pod: name, container }), containerLogsQuery(logOptions));
  const upstream = await openLog(url, options.dialTimeoutMs ?? defaultDialTimeoutMs, (err) => `Get "${url}": ${dialErrorMessage(err, endpoint)}`);
  if (res.destroyed) return void upstream.destroy();
  if ((upstream.statusCode ?? 500) >= 300) throw nodeAgentError(upstream.statusCode ?? 500, await readBodyText(upstream, maxErrorBodyBytes));

  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/plain');
  // While following, the client sees the answer start before the first line comes.
  if (logOptions.follow) res.flushHeaders();
  // The client went away: stop reading from the node.
  res.once('close', () => upstream.destroy());
  // Each chunk is written as it comes (chunked), so following clients see lines at once.
  upstream.pipe(res);
  // A node that breaks off its answer ends the client's too (pipe ends it only on a clean end).
  upstream.once('error', () => res.end());
}

/** GETs `url`, resolving with the response once its headers come; a failed connection is a 500 with `describe`'s message. */
function openLog(url: string, dialTimeoutMs: number, describe: (err: unknown) => string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'GET', headers: { Accept: 'text/plain, */*' } }, (response) => {
      clearTimeout(timer);
      resolve(response);
    });
    const timer = setTimeout(() => request.destroy(Object.assign(new Error('dial timeout'), { code: 'ETIMEDOUT' })), dialTimeoutMs);
    request.once('error', (err) => {
      clearTimeout(timer);
      reject(status.unknownError(500, describe(err)));
    });
    request.end();
  });
}
