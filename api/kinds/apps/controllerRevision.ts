/** apps/v1 ControllerRevision: an immutable snapshot of a controller's state data. */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import * as s from '../../schema/schema';
import { defineKind } from '../kind';
import { topLevelObject } from '../meta';
import { validateImmutable, validateNonnegative } from './workload';

export const ControllerRevision = topLevelObject(
  'io.k8s.api.apps.v1.ControllerRevision',
  'ControllerRevision implements an immutable snapshot of state data. Clients are responsible for serializing and deserializing the objects that contain their internal state. Once a ControllerRevision has been successfully created, it can not be updated.',
  { group: 'apps', version: 'v1', kind: 'ControllerRevision' },
  {
    data: s.any('Data is the serialized representation of the state.'),
    revision: s.int64('Revision indicates the revision of the state represented by Data.'),
  },
  { required: ['revision'] },
);
export type ControllerRevision = s.Static<typeof ControllerRevision>;

function validateControllerRevision(revision: ControllerRevision, old?: ControllerRevision): FieldError[] {
  const errs: FieldError[] = [];
  if (revision.data === undefined) errs.push(field.required('data', 'data is mandatory'));
  errs.push(...validateNonnegative(revision.revision, 'revision'));
  if (old) errs.push(...validateImmutable(revision.data, old.data, 'data'));
  return errs;
}

export const controllerRevisionKind = defineKind<ControllerRevision>({
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  listKind: 'ControllerRevisionList',
  plural: 'controllerrevisions',
  singular: 'controllerrevision',
  shortNames: [],
  categories: [],
  namespaced: true,
  schema: ControllerRevision,
  subresources: {},
  validate: validateControllerRevision,
});
