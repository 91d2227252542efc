/**
 * kubectl's client-side apply annotation as server-side apply treats it (Kubernetes'
 * lastAppliedManager and lastAppliedUpdater), so that an object moves from `kubectl apply` to
 * `kubectl apply --server-side` smoothly: kubectl's server-side apply does not conflict on the
 * fields the annotation still holds with their live values, and keeps the annotation in step.
 */
import { cloneJson } from '../util/cloneJson';
import type { KubeObject } from '../kinds/kind';
import type { Schema } from '../schema/schema';
import { isPlainObject } from '../schema/walk';
import { compareObjects } from './compare';
import type { FieldSet } from './fieldSet';
import { canonicalJson } from './pathElement';
import { toFieldSet } from './toFieldSet';

export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';
/** Only kubectl's own server-side applies take part, as in Kubernetes. */
export const kubectlManager = 'kubectl';

/**
 * The fields of the annotation's configuration whose live values are still the applied ones;
 * undefined when the object has no (readable) annotation.
 */
export function fieldsAsLastApplied(schema: Schema, live: KubeObject): FieldSet | undefined {
  const text = live.metadata?.annotations?.[lastAppliedAnnotation];
  if (!text) return undefined;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(lastApplied)) return undefined;
  const c = compareObjects(schema, lastApplied, live);
  return toFieldSet(schema, lastApplied).difference(c.modified).difference(c.added).difference(c.removed);
}

/** After kubectl's server-side apply: an annotation already there now holds the applied configuration. */
export function updateLastApplied(object: KubeObject, config: KubeObject): void {
  const annotations = object.metadata?.annotations;
  if (!annotations?.[lastAppliedAnnotation]) return;
  const applied = cloneJson(config);
  const appliedAnnotations = applied.metadata?.annotations;
  if (appliedAnnotations) {
    delete appliedAnnotations[lastAppliedAnnotation];
    if (Object.keys(appliedAnnotations).length === 0) delete applied.metadata!.annotations;
  }
  annotations[lastAppliedAnnotation] = `${canonicalJson(applied)}\n`;
}
