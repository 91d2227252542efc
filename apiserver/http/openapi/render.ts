/**
 * Writes paths and operations (operations.ts) in OpenAPI 3.0 (requestBody and responses by
 * content type, parameters with a schema) or Swagger 2.0 (a body parameter, consumes and
 * produces), as Kubernetes serves them. Schemas go through `schemas`, which collects the
 * components they use.
 */
import type { JsonObject, OpenApiSchemas } from '../../../api/schema/openapi';
import type { Operation, PathItem } from './operations';
import type { Parameter } from './parameters';

const replyDescriptions = { 200: 'OK', 201: 'Created', 202: 'Accepted' } as const;

/** The `paths` object, sorted by path. */
export function renderPaths(items: readonly PathItem[], schemas: OpenApiSchemas): JsonObject {
  const paths: JsonObject = {};
  for (const item of [...items].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const rendered: JsonObject = {};
    for (const op of item.operations) rendered[op.method] = renderOperation(op, schemas, item.tag);
    if (item.parameters.length) rendered.parameters = item.parameters.map((param) => renderParameter(param, schemas.version));
    paths[item.path] = rendered;
  }
  return paths;
}

function renderOperation(op: Operation, schemas: OpenApiSchemas, tag: string): JsonObject {
  const v3 = schemas.version === 'v3';
  const payload = op.responses.payload === 'text' ? { type: 'string' } : schemas.ref(op.responses.payload);
  const responses: JsonObject = {};
  for (const code of op.responses.codes) {
    responses[code] = v3
      ? { content: Object.fromEntries(op.responses.contentTypes.map((type) => [type, { schema: payload }])), description: replyDescriptions[code] }
      : { description: replyDescriptions[code], schema: payload };
  }
  responses['401'] = { description: 'Unauthorized' };

  const out: JsonObject = { description: op.description };
  if (!v3) {
    out.consumes = op.body ? [...op.body.contentTypes] : ['*/*'];
    out.produces = [...op.responses.contentTypes];
  }
  out.operationId = op.operationId;
  const parameters = op.parameters.map((param) => renderParameter(param, schemas.version));
  if (op.body && v3) {
    const schema = schemas.ref(op.body.schema);
    out.requestBody = { content: Object.fromEntries(op.body.contentTypes.map((type) => [type, { schema }])), ...(op.body.required ? { required: true } : {}) };
  } else if (op.body) {
    parameters.unshift({ in: 'body', name: 'body', ...(op.body.required ? { required: true } : {}), schema: schemas.ref(op.body.schema) });
  }
  if (parameters.length) out.parameters = parameters;
  out.responses = responses;
  out.tags = [tag];
  if (op.action) out['x-kubernetes-action'] = op.action;
  if (op.gvk) out['x-kubernetes-group-version-kind'] = { group: op.gvk.group, kind: op.gvk.kind, version: op.gvk.version };
  return out;
}

function renderParameter(param: Parameter, version: 'v2' | 'v3'): JsonObject {
  const required = param.required ? { required: true } : {};
  if (version === 'v3') return { description: param.description, in: param.in, name: param.name, ...required, schema: { type: param.type, uniqueItems: true } };
  return { description: param.description, in: param.in, name: param.name, ...required, type: param.type, uniqueItems: true };
}
