/**
 * What a list or watch asks for: label and field selectors compiled into one predicate over
 * stored objects, plus the namespace, which selects a key prefix.
 */
import { compileFieldSelector, parseFieldSelector, requiredValue, type FieldGetter } from '../../api/fields/selector';
import type { KubeObject, ResourceKind } from '../../api/kinds/kind';
import { matches, parseLabelSelector } from '../../api/labels/selector';
import type { StoredObject } from '../storage/interface';

export interface SelectorParams {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

export interface Selection {
  /** Absent when everything matches. */
  readonly predicate: ((obj: StoredObject) => boolean) | undefined;
  /** A field selector on metadata.name pins one name (kubectl get x -w, delete waits). */
  readonly name: string | undefined;
}

/** Compiles the selectors of a request; throws 400 on syntax errors or unsupported fields. */
export function compileSelection(kind: ResourceKind, params: SelectorParams): Selection {
  const labels = params.labelSelector ? parseLabelSelector(params.labelSelector) : [];
  const fieldReqs = params.fieldSelector ? parseFieldSelector(params.fieldSelector) : [];
  const fieldGetters: Record<string, FieldGetter<KubeObject>> = {
    'metadata.name': (o) => o.metadata?.name ?? '',
    'metadata.namespace': (o) => o.metadata?.namespace ?? '',
    ...(kind.selectableFields as Readonly<Record<string, FieldGetter<KubeObject>>> | undefined),
  };
  const fields = fieldReqs.length ? compileFieldSelector(fieldReqs, fieldGetters) : undefined;
  const predicate =
    labels.length || fields ? (obj: StoredObject) => (labels.length === 0 || matches(labels, obj.metadata.labels)) && (!fields || fields(obj)) : undefined;
  return { predicate, name: requiredValue(fieldReqs, 'metadata.name') };
}
