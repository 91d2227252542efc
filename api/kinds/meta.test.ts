import * as s from '../schema/schema';
import { Deployment, DeploymentSpec, DeploymentStatus } from './apps/deployment';
import { Event } from './core/event';
import { objectMetaField, topLevelObject, typeMeta } from './meta';

/** The object node of a schema (fails the test for any other). */
function objectNode(schema: s.Schema): s.ObjectNode {
  const node = schema.node;
  if (node.type !== 'object') throw new Error(`expected an object schema, got ${node.type}`);
  return node;
}

describe('topLevelObject', () => {
  // Deployment as it was written before the helper: the fields by hand and the gvk as an option.
  const byHand = s.object(
    'io.k8s.api.apps.v1.Deployment',
    'Deployment enables declarative updates for Pods and ReplicaSets.',
    {
      ...typeMeta(),
      metadata: objectMetaField,
      spec: DeploymentSpec.doc('Specification of the desired behavior of the Deployment.'),
      status: DeploymentStatus.doc('Most recently observed status of the Deployment.'),
    },
    { gvk: [{ group: 'apps', version: 'v1', kind: 'Deployment' }] },
  );

  it('gives Deployment the schema it had when written by hand, field by field', () => {
    const helper = objectNode(Deployment);
    const expected = objectNode(byHand);
    expect(helper.name).toBe(expected.name);
    expect(helper.description).toBe(expected.description);
    expect(helper.required).toEqual(expected.required);
    expect(helper.gvk).toEqual([{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
    expect(helper.preserveUnknownFields).toBeUndefined();
    expect(Object.keys(helper.properties)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    for (const [name, field] of Object.entries(expected.properties)) {
      const got = helper.properties[name]!;
      expect({ name, node: got.node }).toEqual({ name, node: field.node });
      expect({ name, meta: got.meta }).toEqual({ name, meta: field.meta });
    }
    // The same named types, not copies of them.
    expect(helper.properties.metadata!.node).toBe(objectMetaField.node);
    expect(helper.properties.spec!.node).toBe(DeploymentSpec.node);
    expect(helper.properties.status!.node).toBe(DeploymentStatus.node);
    expect(Deployment.meta).toEqual(byHand.meta);
  });

  it('keeps a metadata field given in the fields, in its place and with its description', () => {
    const custom = topLevelObject(
      'x.v1.Thing',
      'A thing.',
      { group: 'x', version: 'v1', kind: 'Thing' },
      { count: s.int32('How many.'), metadata: objectMetaField.doc('Its own metadata.') },
      { required: ['metadata', 'count'] },
    );
    const node = objectNode(custom);
    expect(Object.keys(node.properties)).toEqual(['apiVersion', 'kind', 'count', 'metadata']);
    expect(node.properties.metadata!.meta.description).toBe('Its own metadata.');
    expect(node.required).toEqual(['metadata', 'count']);
    expect(node.gvk).toEqual([{ group: 'x', version: 'v1', kind: 'Thing' }]);
  });

  it('keeps Event fields in their alphabetical order, metadata among them', () => {
    const keys = Object.keys(objectNode(Event).properties);
    expect(keys.slice(0, 2)).toEqual(['apiVersion', 'kind']);
    expect(keys.slice(2)).toEqual([...keys.slice(2)].sort());
    expect(objectNode(Event).required).toEqual(['metadata', 'involvedObject']);
  });
});
