/**
 * The failures of a strategic merge patch, answered as Kubernetes' API server answers them
 * (apiserver handlers/patch.go interpretStrategicMergePatchError): the malformed-directive
 * sentinels of k8s.io/apimachinery/pkg/util/mergepatch are 400 BadRequest, a list of lists is
 * 422, and every other error of the merge (a missing merge key, an unknown `$patch` value, a
 * `$setElementOrder` list that contradicts the patch...) is a plain error there, which the server
 * answers 500 with no reason and the message as it is. Messages are mergepatch's, values printed as Go's `%v`
 * prints them, so clients and people see what they would see from Kubernetes.
 */
import { StatusError, unknownError } from '../status';

/** mergepatch's sentinel messages that Kubernetes answers 400 BadRequest. */
export const badPatchFormat = {
  primitiveList: 'invalid patch format of primitive list',
  retainKeys: 'invalid patch format of retainKeys',
  setElementOrder: 'invalid patch format of setElementOrder list',
} as const;

export function badFormat(message: (typeof badPatchFormat)[keyof typeof badPatchFormat]): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

/** mergepatch.ErrNoListOfLists, answered 422 as apierrors.NewGenericServerResponse builds it. */
export function listOfLists(): StatusError {
  const message = 'lists of lists are not supported';
  return new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
    causes: [{ reason: 'UnexpectedServerResponse', message }],
  });
}

/** Any other error of the merge: 500 with no reason and the merge's own message (kubectl: `Error from server: ...`). */
export function mergeFailure(message: string): StatusError {
  return unknownError(500, message);
}

export function noMergeKey(element: unknown, mergeKey: string): StatusError {
  return mergeFailure(`map: ${goValue(element)} does not contain declared merge key: ${mergeKey}`);
}

export function badArgType(expected: 'map' | 'slice', actual: unknown): StatusError {
  return mergeFailure(`expected a ${expected === 'map' ? 'map[string]interface {}' : '[]interface {}'}, but received a ${goType(actual)}`);
}

export function badPatchType(directive: unknown, patch: unknown): StatusError {
  return mergeFailure(`unknown patch type: ${goValue(directive)} in map: ${goValue(patch)}`);
}

/** The Go type a decoded JSON value has in Kubernetes (reflect.TypeOf). */
export function goType(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return '[]interface {}';
  if (typeof value === 'object') return 'map[string]interface {}';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  return typeof value === 'boolean' ? 'bool' : 'string';
}

/** A decoded JSON value as Go's fmt `%v` prints it: `map[name:a ports:[80 443]]`, map keys sorted. */
export function goValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, v]) => `${k}:${goValue(v)}`).join(' ')}]`;
  }
  return String(value);
}
