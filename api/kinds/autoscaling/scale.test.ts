import { checkSchema } from '../../schema/ajv';
import { normalize } from '../../schema/walk';
import { Scale } from './scale';

describe('autoscaling/v1 Scale', () => {
  it('accepts a scale body as kubectl scale sends it', () => {
    const body = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'default', resourceVersion: '7' }, spec: { replicas: 3 }, status: { replicas: 2, selector: 'app=web' } };
    expect(normalize(Scale, body).unknownFields).toEqual([]);
    expect(checkSchema(Scale, body)).toEqual({ decodeErrors: [], fieldErrors: [] });
  });

  it('requires status.replicas, types replicas as int32, and reports unknown fields', () => {
    expect(checkSchema(Scale, { status: {} }).fieldErrors.map((e) => e.field)).toEqual(['status.replicas']);
    expect(checkSchema(Scale, { spec: { replicas: '3' } }).decodeErrors).toEqual(['spec.replicas: expected integer, got string']);
    expect(normalize(Scale, { spec: { replicas: 1, selector: 'x' } }).unknownFields).toEqual(['spec.selector']);
  });

  it('carries its group-version-kind', () => {
    const node = Scale.node;
    expect(node.type === 'object' && node.gvk).toEqual([{ group: 'autoscaling', version: 'v1', kind: 'Scale' }]);
  });
});
