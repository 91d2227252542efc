/**
 * Request bodies in Kubernetes' protobuf encoding (application/vnd.kubernetes.protobuf), which
 * kubectl's typed commands send (`kubectl create namespace|deployment|...`): the magic `k8s\0`,
 * then a runtime.Unknown whose typeMeta names the kind and whose `raw` is the object's own
 * message. The object is decoded from the kind's message table (protobuf/kinds.ts) into the JSON
 * Kubernetes would have decoded, and from there on goes the JSON path. Responses stay JSON, which
 * kubectl accepts (it asks for protobuf first, then JSON).
 */
import * as status from '../../api/status';
import { decodeMessage } from './protobuf/decode';
import type { JsonObject } from './protobuf/descriptor';
import { protobufMessageOf } from './protobuf/kinds';
import { Unknown } from './protobuf/meta';
import { MalformedProtobuf } from './protobuf/wire';

export const protobufContentType = 'application/vnd.kubernetes.protobuf';

/** Every protobuf object starts with these four bytes. */
const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const accepted = ['application/json', 'application/yaml', protobufContentType];

/**
 * The object in a protobuf request body, as the JSON value Kubernetes would have decoded.
 * 400 for a body that is not a well-formed message, 415 for a kind whose encoding is not known.
 */
export function decodeProtobufObject(body: Buffer): unknown {
  if (body.length < magic.length || !body.subarray(0, magic.length).equals(magic)) {
    // Kubernetes' protobuf serializer's message.
    throw status.badRequest(`provided data does not appear to be a protobuf message, expected prefix [${[...magic].join(' ')}]`);
  }
  try {
    const envelope = decodeMessage(Unknown, body.subarray(magic.length)) as JsonObject;
    const typeMeta = (envelope.typeMeta ?? {}) as JsonObject;
    const apiVersion = typeof typeMeta.apiVersion === 'string' ? typeMeta.apiVersion : '';
    const kind = typeof typeMeta.kind === 'string' ? typeMeta.kind : '';
    if (envelope.contentEncoding || (envelope.contentType && envelope.contentType !== protobufContentType)) {
      throw unsupported(`the protobuf envelope's content (encoding ${JSON.stringify(envelope.contentEncoding ?? '')}, type ${JSON.stringify(envelope.contentType ?? '')}) is not supported`);
    }
    if (!kind || !apiVersion) throw status.badRequest("Object 'Kind' is missing in the protobuf body: its typeMeta must name the apiVersion and kind");
    const message = protobufMessageOf(apiVersion, kind);
    if (!message) throw unsupported(`the protobuf encoding of ${apiVersion} ${kind} is not supported: send it as application/json or application/yaml`);
    const raw = typeof envelope.raw === 'string' ? Buffer.from(envelope.raw, 'base64') : Buffer.alloc(0);
    return { kind, apiVersion, ...(decodeMessage(message, raw) as JsonObject) };
  } catch (err) {
    if (err instanceof MalformedProtobuf) throw status.badRequest(`the protobuf body is malformed: ${err.message}`);
    if (err instanceof SyntaxError) throw status.badRequest(`the protobuf body is malformed: ${err.message}`);
    throw err;
  }
}

function unsupported(message: string): status.StatusError {
  return new status.StatusError(415, 'UnsupportedMediaType', `${message} - accepted media types include: ${accepted.join(', ')}`);
}
