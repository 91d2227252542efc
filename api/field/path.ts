/**
 * Field paths in Kubernetes' notation, as they appear in validation causes and strict-decoding
 * errors: `spec.containers[0].image`, `metadata.labels[app]`.
 */
export type FieldPath = string;

export function child(path: FieldPath, name: string): FieldPath {
  return path === '' ? name : `${path}.${name}`;
}

export function index(path: FieldPath, i: number): FieldPath {
  return `${path}[${i}]`;
}

export function key(path: FieldPath, k: string): FieldPath {
  return `${path}[${k}]`;
}
