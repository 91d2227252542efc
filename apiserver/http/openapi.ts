/**
 * OpenAPI documents, generated from the kinds' schemas (openapi/documents.ts):
 *   - GET /openapi/v3: the index, `{"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=…"},…}}`,
 *     with every group-version served now (a new CRD's at once);
 *   - GET /openapi/v3/<api/v1 | apis/<group>/<version>>: an OpenAPI 3.0 document;
 *   - GET /openapi/v2: one Swagger 2.0 document for everything.
 * kubectl reads v3 for `explain`, for field validation (whether PATCH takes fieldValidation) and
 * for client-side apply's strategic merge patch; v2 only as a fallback.
 *
 * Caching as Kubernetes (kube-openapi's handler3) does it: every document has an ETag, its hash,
 * and answers 304 to a matching If-None-Match. A document asked for by its current hash may be
 * cached for good (immutable, expires in a year); an old hash is redirected (301) to the current
 * URL. The index has no Cache-Control: a client revalidates it each time, so new CRDs show at once.
 *
 * Both are JSON only. Kubernetes also serves them as protobuf; a client that accepts nothing but
 * protobuf gets 406 for v3, and JSON for v2 (which is what client-go's OpenAPISchema() asks for as
 * protobuf alone: such clients, kubectl's v2 fallback among them, cannot read it and carry on
 * without v2; clients that need protobuf v2 are not supported).
 */
import type { NextFunction, Router } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as status from '../../api/status';
import type { ResourceRegistry } from '../registry/resourceRegistry';
import { sendText } from './codec';
import { OpenApiDocuments, v3Url, type OpenApiDocument } from './openapi/documents';
import { param } from './query';
import { apiRequest, type ApiRequest } from './request';

const oneYearMs = 365 * 24 * 3600 * 1000;

export function mountOpenApi(router: Router, registry: ResourceRegistry): void {
  const documents = new OpenApiDocuments(registry);
  router.use((message: IncomingMessage, res: ServerResponse, next: NextFunction) => {
    const req = apiRequest(message);
    if (req.path !== '/openapi' && !req.path.startsWith('/openapi/')) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') return next(status.methodNotSupported({ group: '', resource: req.path }, req.method.toLowerCase()));
    try {
      const path = req.path.replace(/\/+$/, '');
      if (path === '/openapi/v2') return sendDocument(req, res, documents.v2());
      if (path === '/openapi/v3') return sendDocument(req, res, documents.v3Index());
      if (!path.startsWith('/openapi/v3/')) return next(status.pathNotFound());
      const groupVersion = path.slice('/openapi/v3/'.length);
      const doc = documents.v3(groupVersion);
      if (!doc) return next(status.pathNotFound());
      if (!acceptsJson(req)) throw status.notAcceptable('only the following media types are accepted: application/json');
      const hash = param(req.query, 'hash');
      if (hash !== '' && hash !== doc.hash) {
        res.statusCode = 301;
        res.setHeader('Location', v3Url(groupVersion, doc.hash));
        res.end();
        return;
      }
      if (hash !== '') {
        // The URL names this exact content: it never changes.
        res.setHeader('Cache-Control', 'public, immutable');
        res.setHeader('Expires', new Date(Date.now() + oneYearMs).toUTCString());
      }
      return sendDocument(req, res, doc);
    } catch (err) {
      return next(err);
    }
  });
}

function sendDocument(req: ApiRequest, res: ServerResponse, doc: OpenApiDocument): void {
  const etag = `"${doc.hash}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Vary', 'Accept');
  if (req.headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  sendText(res, 200, doc.json, 'application/json');
}

/** No Accept, or one that takes JSON (application/json, application/*, *\/*). */
function acceptsJson(req: ApiRequest): boolean {
  const accept = req.headers.accept;
  if (!accept) return true;
  return accept.split(',').some((type) => ['application/json', 'application/*', '*/*'].includes(type.split(';')[0]!.trim().toLowerCase()));
}
