import { decodeObject } from '../decode';
import { asV1Eviction, evictionKind } from './eviction';

describe('Eviction', () => {
  it('decodes policy/v1 Evictions with their DeleteOptions', () => {
    const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-0' }, deleteOptions: { gracePeriodSeconds: 5, preconditions: { uid: 'u1' }, dryRun: ['All'] } };
    expect(decodeObject(evictionKind, body).object).toEqual(body);
  });

  it('reads policy/v1beta1 Evictions as v1 ones, and leaves other versions to the decoder', () => {
    const beta = { apiVersion: 'policy/v1beta1', kind: 'Eviction', metadata: { name: 'web-0' } };
    expect(decodeObject(evictionKind, asV1Eviction(beta)).object.apiVersion).toBe('policy/v1');
    expect(() => decodeObject(evictionKind, asV1Eviction({ ...beta, apiVersion: 'policy/v2' }))).toThrow('the API version in the data (policy/v2) does not match the expected API version (policy/v1)');
  });

  it('rejects unknown and mistyped fields', () => {
    expect(() => decodeObject(evictionKind, { metadata: { name: 'a' }, deleteOptions: { grace: 1 } }, 'Strict')).toThrow('unknown field "deleteOptions.grace"');
    expect(() => decodeObject(evictionKind, { metadata: { name: 'a' }, deleteOptions: { gracePeriodSeconds: 'soon' } })).toThrow(/cannot be handled as a Eviction/);
  });
});
