/** core/v1 Event: a report of something that happened to an object (v1.32). */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import * as s from '../../schema/schema';
import { isDNS1123Subdomain, isQualifiedName } from '../../validation/names';
import { defineKind } from '../kind';
import { objectMetaField, topLevelObject } from '../meta';
import { ObjectReference } from './objectReference';

/** Kubernetes' length limits for event fields (pkg/apis/core/validation/events.go). */
export const reportingInstanceLengthLimit = 128;
export const actionLengthLimit = 128;
export const reasonLengthLimit = 128;
export const noteLengthLimit = 1024;

export const EventSource = s.object(
  'io.k8s.api.core.v1.EventSource',
  'EventSource contains information for an event.',
  {
    component: s.string('Component from which the event is generated.'),
    host: s.string('Node name on which the event is generated.'),
  },
);

export const EventSeries = s.object(
  'io.k8s.api.core.v1.EventSeries',
  'EventSeries contain information on series of events, i.e. thing that was/is happening continuously for some time.',
  {
    count: s.int32('Number of occurrences in this series up to the last heartbeat time'),
    lastObservedTime: s.time('Time of the last occurrence observed (MicroTime).'),
  },
);

export const Event = topLevelObject(
  'io.k8s.api.core.v1.Event',
  'Event is a report of an event somewhere in the cluster. Events have a limited retention time and triggers and messages may evolve with time.',
  { group: '', version: 'v1', kind: 'Event' },
  {
    action: s.string('What action was taken/failed regarding to the Regarding object.'),
    count: s.int32('The number of times this event has occurred.'),
    eventTime: s.time('Time when this Event was first observed (MicroTime).'),
    firstTimestamp: s.time('The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
    involvedObject: ObjectReference.doc('The object that this event is about.'),
    lastTimestamp: s.time('The time at which the most recent occurrence of this event was recorded.'),
    message: s.string('A human-readable description of the status of this operation.'),
    metadata: objectMetaField,
    reason: s.string("This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    related: ObjectReference.doc('Optional secondary object for more complex actions.'),
    reportingComponent: s.string('Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.'),
    reportingInstance: s.string('ID of the controller instance, e.g. `kubelet-xyzf`.'),
    series: EventSeries.doc('Data about the Event series this event represents or nil if it\'s a singleton Event.'),
    source: EventSource.doc('The component reporting this event. Should be a short machine understandable string.'),
    type: s.string('Type of this event (Normal, Warning), new types could be added in the future'),
  },
  { required: ['metadata', 'involvedObject'] },
);
export type Event = s.Static<typeof Event>;

/**
 * legacyValidateEvent, the only validation core/v1 events get (the stricter rules, such as type
 * Normal/Warning, apply to events.k8s.io/v1 only). An event about a namespaced object lives in
 * that object's namespace; one about a cluster-scoped object lives in "default".
 */
export function validateEvent(event: Event): FieldError[] {
  const errs: FieldError[] = [];
  const namespace = event.metadata.namespace ?? '';
  const involvedNamespace = event.involvedObject.namespace ?? '';
  const mismatch = () => field.invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace');
  if (event.eventTime === undefined) {
    if (!involvedNamespace) {
      if (namespace !== '' && namespace !== 'default') errs.push(mismatch());
    } else if (namespace !== involvedNamespace) {
      errs.push(mismatch());
    }
  } else {
    if (!involvedNamespace && namespace !== 'default' && namespace !== 'kube-system') errs.push(mismatch());
    const controller = event.reportingComponent ?? '';
    if (!controller) errs.push(field.required('reportingComponent'));
    for (const msg of isQualifiedName(controller)) errs.push(field.invalid('reportingComponent', controller, msg));
    const instance = event.reportingInstance ?? '';
    if (!instance) errs.push(field.required('reportingInstance'));
    if (instance.length > reportingInstanceLengthLimit) errs.push(field.invalid('reportingInstance', '', `can have at most ${reportingInstanceLengthLimit} characters`));
    const action = event.action ?? '';
    if (!action) errs.push(field.required('action'));
    if (action.length > actionLengthLimit) errs.push(field.invalid('action', '', `can have at most ${actionLengthLimit} characters`));
    const reason = event.reason ?? '';
    if (!reason) errs.push(field.required('reason'));
    if (reason.length > reasonLengthLimit) errs.push(field.invalid('reason', '', `can have at most ${reasonLengthLimit} characters`));
    if ((event.message ?? '').length > noteLengthLimit) errs.push(field.invalid('message', '', `can have at most ${noteLengthLimit} characters`));
  }
  for (const msg of isDNS1123Subdomain(namespace)) errs.push(field.invalid('namespace', namespace, msg));
  return errs;
}

export const eventKind = defineKind<Event>({
  group: '',
  version: 'v1',
  kind: 'Event',
  listKind: 'EventList',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  categories: [],
  namespaced: true,
  // Core/v1 events only get the generic path-segment name check (the registry's fallback).
  nameRule: 'pathSegment',
  schema: Event,
  subresources: {},
  selectableFields: {
    'involvedObject.kind': (e) => e.involvedObject.kind ?? '',
    'involvedObject.namespace': (e) => e.involvedObject.namespace ?? '',
    'involvedObject.name': (e) => e.involvedObject.name ?? '',
    'involvedObject.uid': (e) => e.involvedObject.uid ?? '',
    'involvedObject.apiVersion': (e) => e.involvedObject.apiVersion ?? '',
    'involvedObject.resourceVersion': (e) => e.involvedObject.resourceVersion ?? '',
    'involvedObject.fieldPath': (e) => e.involvedObject.fieldPath ?? '',
    reason: (e) => e.reason ?? '',
    reportingComponent: (e) => e.reportingComponent ?? '',
    source: (e) => e.source?.component || e.reportingComponent || '',
    type: (e) => e.type ?? '',
  },
  validate: (event) => validateEvent(event),
});
