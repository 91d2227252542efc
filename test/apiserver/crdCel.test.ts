/**
 * CEL validation rules (x-kubernetes-validations) and set-list uniqueness through the API server: a violated rule is a 422
 * naming the field and the rule's message, and stores nothing; transition rules see the old object
 * on updates (PUT and PATCH) and not on create; a CRD whose rule does not compile is refused.
 */
import { useControlPlane } from '../harness/apiserver';
import { crdsPath, waitEstablished } from './crdHelpers';
import { causeFields, expectOk, type LooseObj } from './crudHelpers';
import { expectStatus } from './helpers';

const plane = useControlPlane();
const gadgetsPath = '/apis/cel.marina.dev/v1/namespaces/default/gadgets';

const gadgetCrd = (rules: readonly object[]) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.cel.marina.dev' },
  spec: {
    group: 'cel.marina.dev',
    scope: 'Namespaced',
    names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                'x-kubernetes-validations': rules,
                properties: {
                  replicas: { type: 'integer' },
                  minReplicas: { type: 'integer', default: 1 },
                  mode: { type: 'string' },
                  tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    ],
  },
});

const gadget = (name: string, spec: Record<string, unknown>): LooseObj => ({ apiVersion: 'cel.marina.dev/v1', kind: 'Gadget', metadata: { name }, spec });
const revision = async () => (await plane.server.storage.list('/registry/cel.marina.dev/gadgets/')).revision;

beforeAll(async () => {
  const rules = [
    { rule: 'self.replicas >= self.minReplicas', message: 'replicas must be at least minReplicas', fieldPath: '.replicas' },
    { rule: "self.tags.all(t, t.startsWith('x-'))", messageExpression: "'tags must start with x-, got ' + string(self.tags.size()) + ' tags'" },
    { rule: 'self.mode == oldSelf.mode', message: 'mode is immutable', reason: 'FieldValueForbidden', fieldPath: '.mode' },
  ];
  expectOk(await plane.client.raw('POST', crdsPath, { body: gadgetCrd(rules) }), 201);
  await waitEstablished(plane.client, 'gadgets.cel.marina.dev');
}, 20_000);

describe('CEL validation rules', () => {
  it('answers a violated rule with 422 naming the field and the message, and stores nothing', async () => {
    const before = await revision();
    const st = expectStatus(await plane.client.raw('POST', gadgetsPath, { body: gadget('bad', { replicas: 0, minReplicas: 2, mode: 'a', tags: ['y'] }) }), 422, 'Invalid');
    expect(st.message).toBe(
      'Gadget.cel.marina.dev "bad" is invalid: [spec.replicas: Invalid value: "object": replicas must be at least minReplicas, spec: Invalid value: "object": tags must start with x-, got 1 tags]',
    );
    expect(causeFields(st)).toEqual(['spec.replicas', 'spec']);
    expect(await revision()).toBe(before);
    expectStatus(await plane.client.raw('GET', `${gadgetsPath}/bad`), 404);
  });

  it('evaluates rules on defaulted values, and a type error is reported by the schema, not the rules', async () => {
    // minReplicas defaults to 1: replicas 0 violates the rule.
    const st = expectStatus(await plane.client.raw('POST', gadgetsPath, { body: gadget('d', { replicas: 0, mode: 'a', tags: [] }) }), 422);
    expect(st.message).toContain('spec.replicas: Invalid value: "object": replicas must be at least minReplicas');
    const typed = expectStatus(await plane.client.raw('POST', gadgetsPath, { body: gadget('t', { replicas: 'many', mode: 'a', tags: [] }) }), 422);
    expect(typed.message).toContain('spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"');
    expect(typed.message).not.toContain('rule');
  });

  it('runs transition rules on updates only: PUT and merge PATCH', async () => {
    const created = expectOk<LooseObj>(await plane.client.raw('POST', gadgetsPath, { body: gadget('ok', { replicas: 2, mode: 'a', tags: ['x-1'] }) }), 201);
    expect(created.spec).toEqual({ replicas: 2, minReplicas: 1, mode: 'a', tags: ['x-1'] });
    const patched = expectStatus(
      await plane.client.raw('PATCH', `${gadgetsPath}/ok`, { body: { spec: { mode: 'b' } }, contentType: 'application/merge-patch+json' }),
      422,
    );
    expect(patched.message).toBe('Gadget.cel.marina.dev "ok" is invalid: spec.mode: Forbidden: mode is immutable');
    const replaced = expectStatus(await plane.client.raw('PUT', `${gadgetsPath}/ok`, { body: { ...created, spec: { ...created.spec, mode: 'c' } } }), 422);
    expect(causeFields(replaced)).toEqual(['spec.mode']);
    // Other changes pass.
    const scaled = expectOk<LooseObj>(await plane.client.raw('PATCH', `${gadgetsPath}/ok`, { body: { spec: { replicas: 5 } }, contentType: 'application/merge-patch+json' }), 200);
    expect(scaled.spec.replicas).toBe(5);
  });

  it('refuses a value twice in a set list (x-kubernetes-list-type: set)', async () => {
    const before = await revision();
    const st = expectStatus(await plane.client.raw('POST', gadgetsPath, { body: gadget('dup', { replicas: 1, mode: 'a', tags: ['x-a', 'x-a'] }) }), 422, 'Invalid');
    expect(st.message).toBe('Gadget.cel.marina.dev "dup" is invalid: spec.tags[1]: Duplicate value: "x-a"');
    expect(await revision()).toBe(before);
  });

  it('refuses a CRD whose rule does not compile, naming the rule', async () => {
    const current = expectOk<LooseObj>(await plane.client.raw('GET', `${crdsPath}/gadgets.cel.marina.dev`), 200);
    const bad = gadgetCrd([{ rule: 'self.replicas >' }]);
    const body = { ...bad, metadata: { ...bad.metadata, resourceVersion: current.metadata.resourceVersion } };
    const st = expectStatus(await plane.client.raw('PUT', `${crdsPath}/gadgets.cel.marina.dev`, { body }), 422);
    expect(st.message).toContain('spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: "self.replicas >": compilation failed:');
  });
});
