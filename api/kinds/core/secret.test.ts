import { isStatusError } from '../../status';
import { decodeObject, validateObject } from '../decode';
import { admit } from '../testing';
import { secretKind } from './secret';

describe('Secret', () => {
  it('folds stringData into base64 data and defaults the type', () => {
    const object = admit(secretKind, { metadata: { name: 's', namespace: 'default' }, stringData: { password: 'hunter2' }, data: { user: 'YWRtaW4=' } });
    expect(object.data).toEqual({ user: 'YWRtaW4=', password: Buffer.from('hunter2').toString('base64') });
    expect(object.stringData).toBeUndefined();
    expect(object.type).toBe('Opaque');
    expect(object.apiVersion).toBe('v1');
    expect(object.kind).toBe('Secret');
  });

  it('rejects data that is not base64 as a decode error (400)', () => {
    expect(() => admit(secretKind, { metadata: { name: 's', namespace: 'default' }, data: { k: 'not base64!' } })).toThrow(
      expect.objectContaining({ code: 400, message: expect.stringContaining('data[k]') }),
    );
  });

  it('rejects bad keys and missing keys of typed secrets with 422 causes', () => {
    try {
      admit(secretKind, { metadata: { name: 's', namespace: 'default' }, type: 'kubernetes.io/tls', data: { 'bad/key': 'YQ==' } });
      throw new Error('expected an error');
    } catch (err) {
      expect(isStatusError(err, 422)).toBe(true);
      const fields = (err as { details: { causes: { field: string }[] } }).details.causes.map((c) => c.field);
      expect(fields).toEqual(['data[bad/key]', 'data[tls.crt]', 'data[tls.key]']);
    }
  });

  it('rejects unknown fields in Strict mode and warns in Warn mode', () => {
    const body = () => ({ metadata: { name: 's', namespace: 'default' }, dataa: {} });
    expect(() => decodeObject(secretKind, body(), 'Strict')).toThrow('strict decoding error: unknown field "dataa"');
    expect(decodeObject(secretKind, body(), 'Warn').warnings).toEqual(['unknown field "dataa"']);
    expect(decodeObject(secretKind, body(), 'Ignore').warnings).toEqual([]);
  });

  it('keeps type and data immutable where Kubernetes does', () => {
    const old = admit(secretKind, { metadata: { name: 's', namespace: 'default' }, immutable: true, data: { a: 'YQ==' } });
    const next = structuredClone(old);
    next.data = { a: 'Yg==' };
    expect(() => validateObject(secretKind, next, old)).toThrow('data: Forbidden: field is immutable when `immutable` is set');
  });
});
