import { admit, causesOf } from '../testing';
import { eventKind } from './event';

/** An event as the kubelet's (legacy) event recorder writes it. */
const podEvent = () => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web-0.17c1a2b3c4d5e6f7', namespace: 'default' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u1', apiVersion: 'v1', resourceVersion: '42', fieldPath: 'spec.containers{nginx}' },
  reason: 'Pulled',
  message: 'Container image "nginx:1.27" already present on machine',
  source: { component: 'kubelet', host: 'worker-1' },
  firstTimestamp: '2024-01-02T03:04:05Z',
  lastTimestamp: '2024-01-02T03:04:05Z',
  count: 1,
  type: 'Normal',
  reportingComponent: 'kubelet',
  reportingInstance: 'worker-1',
});

describe('Event', () => {
  it('admits a legacy kubelet event and selects by its fields', () => {
    const ev = admit(eventKind, podEvent());
    const fields = eventKind.selectableFields!;
    expect(fields['involvedObject.kind']?.(ev)).toBe('Pod');
    expect(fields['involvedObject.name']?.(ev)).toBe('web-0');
    expect(fields['involvedObject.fieldPath']?.(ev)).toBe('spec.containers{nginx}');
    expect(fields.source?.(ev)).toBe('kubelet');
    expect(fields.type?.(ev)).toBe('Normal');
    expect(fields.reason?.(ev)).toBe('Pulled');
  });

  it('admits a new-style event with eventTime (microseconds) and series', () => {
    const body = { ...podEvent(), eventTime: '2024-01-02T03:04:05.123456Z', action: 'Pulling', series: { count: 3, lastObservedTime: '2024-01-02T03:05:05.000001Z' } };
    delete (body as Partial<typeof body>).source;
    const ev = admit(eventKind, body);
    expect(eventKind.selectableFields?.source?.(ev)).toBe('kubelet');
  });

  it('puts events about cluster-scoped objects in default, and others in their namespace', () => {
    const nodeEvent = { ...podEvent(), involvedObject: { kind: 'Node', name: 'worker-1', uid: 'worker-1' }, reason: 'NodeReady' };
    expect(() => admit(eventKind, nodeEvent)).not.toThrow();
    expect(causesOf(() => admit(eventKind, { ...nodeEvent, metadata: { name: 'x', namespace: 'team-a' } }))).toEqual([
      'involvedObject.namespace: Invalid value: "": does not match event.namespace',
    ]);
    expect(causesOf(() => admit(eventKind, { ...podEvent(), metadata: { name: 'x', namespace: 'team-a' } }))).toEqual([
      'involvedObject.namespace: Invalid value: "default": does not match event.namespace',
    ]);
  });

  it('requires reporting fields for events with eventTime', () => {
    const body = { metadata: { name: 'e', namespace: 'default' }, involvedObject: { kind: 'Pod', namespace: 'default', name: 'p' }, eventTime: '2024-01-02T03:04:05.000000Z' };
    expect(causesOf(() => admit(eventKind, body))).toEqual([
      'reportingComponent: Required value',
      'reportingComponent: Invalid value: "": name part must be non-empty',
      'reportingInstance: Required value',
      'action: Required value',
      'reason: Required value',
    ]);
  });

  it('accepts any type, as core/v1 does, and names that are only path segments', () => {
    expect(() => admit(eventKind, { ...podEvent(), type: 'Custom', metadata: { name: 'system:controller:x.1', namespace: 'default' } })).not.toThrow();
  });

  it('requires involvedObject and metadata, and rejects unknown fields', () => {
    expect(causesOf(() => admit(eventKind, { metadata: { name: 'e', namespace: 'default' } }))).toEqual(['involvedObject: Required value']);
    expect(() => admit(eventKind, { ...podEvent(), note: 'x' })).toThrow('strict decoding error: unknown field "note"');
  });
});
