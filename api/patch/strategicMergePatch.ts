/**
 * Strategic merge patch (application/strategic-merge-patch+json). Not implemented yet: answers
 * 415 until the schema-driven merge lands.
 */
import type { Schema } from '../schema/schema';
import { StatusError } from '../status';

export function applyStrategicMergePatch(schema: Schema, original: unknown, patch: Record<string, unknown>): unknown {
  void schema;
  void original;
  void patch;
  throw new StatusError(415, 'UnsupportedMediaType', 'strategic merge patch is not supported yet');
}
