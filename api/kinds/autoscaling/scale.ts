/**
 * autoscaling/v1 Scale: the body of a resource's /scale subresource. It is not stored, so there
 * is no kind; the registry reads and writes replicas through the kind's ScaleSubresource paths.
 */
import * as s from '../../schema/schema';
import { objectMetaField, topLevelObject } from '../meta';

export const ScaleSpec = s.object('io.k8s.api.autoscaling.v1.ScaleSpec', 'ScaleSpec describes the attributes of a scale subresource.', {
  replicas: s.int32('replicas is the desired number of instances for the scaled object.'),
});
export type ScaleSpec = s.Static<typeof ScaleSpec>;

export const ScaleStatus = s.object(
  'io.k8s.api.autoscaling.v1.ScaleStatus',
  'ScaleStatus represents the current status of a scale subresource.',
  {
    replicas: s.int32('replicas is the actual number of observed instances of the scaled object.'),
    selector: s.string('selector is the label query over pods that should match the replicas count, in the string form of a label selector (e.g. "app=web,tier!=db").'),
  },
  { required: ['replicas'] },
);
export type ScaleStatus = s.Static<typeof ScaleStatus>;

export const Scale = topLevelObject(
  'io.k8s.api.autoscaling.v1.Scale',
  'Scale represents a scaling request for a resource.',
  { group: 'autoscaling', version: 'v1', kind: 'Scale' },
  {
    metadata: objectMetaField.doc('Standard object metadata.'),
    spec: ScaleSpec.doc('spec defines the behavior of the scale.'),
    status: ScaleStatus.doc('status is the current status of the scale. Read-only.'),
  },
);
export type Scale = s.Static<typeof Scale>;
