/**
 * Request bodies in Kubernetes' protobuf encoding (application/vnd.kubernetes.protobuf), which
 * kubectl's typed commands send. Not decoded yet: 415.
 */
import * as status from '../../api/status';

export const protobufContentType = 'application/vnd.kubernetes.protobuf';

/** The object in a protobuf request body, as the JSON value Kubernetes would have decoded. */
export function decodeProtobufObject(body: Buffer): unknown {
  void body;
  throw status.unsupportedMediaType(protobufContentType, ['application/json', 'application/yaml']);
}
