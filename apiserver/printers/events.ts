/**
 * core/v1 events as `kubectl get events` shows them: LAST SEEN TYPE REASON OBJECT MESSAGE, wide
 * SUBOBJECT SOURCE FIRST SEEN COUNT NAME. Events written with the events.k8s.io fields (eventTime,
 * series) fall back on those.
 */
import { eventKind, type Event } from '../../api/kinds/core/event';
import { since } from './duration';
import { column, definePrinter, fieldDoc, metaDoc } from './printer';

const doc = (path: string) => fieldDoc(eventKind.schema, path);

/** formatEventSource: component (or reporting controller), then ", host" (or reporting instance). */
function source(event: Event): string {
  const component = event.source?.component || event.reportingComponent || '';
  const instance = event.source?.host || event.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter = definePrinter<Event>({
  columns: [
    column('Last Seen', 'string', doc('lastTimestamp')),
    column('Type', 'string', doc('type')),
    column('Reason', 'string', doc('reason')),
    column('Object', 'string', doc('involvedObject')),
    column('Subobject', 'string', doc('involvedObject.fieldPath'), { priority: 1 }),
    column('Source', 'string', doc('source'), { priority: 1 }),
    column('Message', 'string', doc('message')),
    column('First Seen', 'string', doc('firstTimestamp'), { priority: 1 }),
    column('Count', 'string', doc('count'), { priority: 1 }),
    column('Name', 'string', metaDoc('name'), { priority: 1, format: 'name' }),
  ],
  cells(event, now) {
    const firstSeen = event.firstTimestamp ? since(event.firstTimestamp, now) : since(event.eventTime, now);
    let lastSeen = event.lastTimestamp ? since(event.lastTimestamp, now) : firstSeen;
    // Singleton events of the newer API carry no count.
    let count = event.count || 1;
    if (event.series) {
      lastSeen = since(event.series.lastObservedTime, now);
      count = event.series.count ?? 0;
    }
    // Validation requires involvedObject, but a printer must not fail on what storage holds.
    const involved = event.involvedObject ?? {};
    const kind = (involved.kind ?? '').toLowerCase();
    return [
      lastSeen,
      event.type ?? '',
      event.reason ?? '',
      involved.name ? `${kind}/${involved.name}` : kind,
      involved.fieldPath ?? '',
      source(event),
      (event.message ?? '').trim(),
      firstSeen,
      count,
      event.metadata.name ?? '',
    ];
  },
});
