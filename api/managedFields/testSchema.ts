/** A small kind for the field-ownership tests: one field of each merge semantics. */
import { LabelSelector, ObjectMeta } from '../kinds/meta';
import * as s from '../schema/schema';

export const Item = s.object('test.Item', undefined, {
  name: s.string(),
  value: s.string(),
  port: s.int32(),
  protocol: s.string(undefined, { default: 'TCP' }),
});

export const Widget = s.object('test.Widget', undefined, {
  apiVersion: s.string(),
  kind: s.string(),
  metadata: ObjectMeta,
  spec: s.object(undefined, undefined, {
    replicas: s.int32(),
    /** A list-type map keyed by name. */
    items: s.array(Item, undefined, { listType: 'map', listMapKeys: ['name'] }),
    /** Keyed by port and protocol; protocol defaults to TCP. */
    ports: s.array(Item, undefined, { listType: 'map', listMapKeys: ['port', 'protocol'] }),
    /** No list type, but a merge strategy: a map keyed by the merge key. */
    env: s.array(Item, undefined, { patchStrategy: 'merge', patchMergeKey: 'name' }),
    tags: s.array(s.string(), undefined, { listType: 'set' }),
    args: s.array(s.string(), undefined, { listType: 'atomic' }),
    selector: LabelSelector,
    labels: s.map(s.string()),
    settings: s.map(s.string()).with({ mapType: 'atomic' }),
    strategy: s.object(undefined, undefined, { type: s.string(), maxSurge: s.int32() }),
    extra: s.object(undefined, undefined, { known: s.string() }, { preserveUnknownFields: true }),
  }),
  status: s.object(undefined, undefined, { ready: s.int32() }),
});
