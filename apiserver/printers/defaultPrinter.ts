/**
 * Kubernetes' default TableConvertor (rest.NewDefaultTableConvertor), used for the kinds that have
 * no printer of their own (roles, clusterroles, customresourcedefinitions): NAME and CREATED AT,
 * the creation time in RFC 3339 rather than as an age.
 */
import { parseTime } from './duration';
import { column, definePrinter, metaDoc, nameColumn } from './printer';

/** Go's time.Time.UTC().Format(time.RFC3339); the zero time for an absent timestamp. */
function rfc3339(timestamp: string | undefined): string {
  const ms = parseTime(timestamp);
  return ms === undefined ? '0001-01-01T00:00:00Z' : new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

export const defaultPrinter = definePrinter({
  columns: [nameColumn, column('Created At', 'date', metaDoc('creationTimestamp'))],
  cells(obj) {
    return [obj.metadata.name ?? '', rfc3339(obj.metadata.creationTimestamp)];
  },
});
