import { controllerRevisionKind } from './controllerRevision';
import { admit, causesOf } from '../testing';

describe('ControllerRevision', () => {
  const body = { metadata: { name: 'web-5d8f', namespace: 'default' }, data: { spec: { template: { metadata: { labels: { app: 'web' } } } } }, revision: 2 };

  it('keeps data as it is', () => {
    const rev = admit(controllerRevisionKind, body);
    expect(rev.data).toEqual(body.data);
    expect(controllerRevisionKind).toMatchObject({ group: 'apps', plural: 'controllerrevisions', namespaced: true });
  });

  it('requires data and a non-negative revision', () => {
    expect(causesOf(() => admit(controllerRevisionKind, { metadata: { name: 'r', namespace: 'default' } }))).toEqual(['revision: Required value']);
    expect(causesOf(() => admit(controllerRevisionKind, { metadata: { name: 'r', namespace: 'default' }, revision: -1 }))).toEqual([
      'data: Required value: data is mandatory',
      'revision: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  it('makes data immutable', () => {
    const old = admit(controllerRevisionKind, body);
    const next = { ...structuredClone(old), data: { spec: {} } };
    expect(causesOf(() => admit(controllerRevisionKind, next, old))).toEqual(['data: Invalid value: {"spec":{}}: field is immutable']);
  });
});
