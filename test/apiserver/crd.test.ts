/**
 * Custom resources over HTTP: CustomResourceDefinitions are established and served, their custom
 * resources are pruned, defaulted and validated against the CRD schema with Kubernetes' messages,
 * status and scale subresources and selectable fields work, several versions share one storage,
 * name conflicts are refused, and deleting a CRD deletes its custom resources and stops serving.
 */
import { manifestFile } from '../../api/kinds/testing';
import { startApiServer } from '../../apiserver/server';
import { createLogger } from '../../client/log';
import { RestClient, type RawResponse } from '../../client/restClient';
import { useControlPlane } from '../harness/apiserver';
import { conditionOf, crdsPath, waitEstablished as waitEstablishedOn } from './crdHelpers';
import { causeFields, expectOk, type LooseObj, type ObjList } from './crudHelpers';
import { eventually, expectStatus } from './helpers';

const plane = useControlPlane();

const shirtsPath = '/apis/stable.example.com/v1/namespaces/default/shirts';

/** The documents of a CRD example of the website manifests. */
function loadYaml(file: string): LooseObj[] {
  return manifestFile(`customresourcedefinition/${file}`) as LooseObj[];
}

const waitEstablished = (name: string): Promise<LooseObj> => waitEstablishedOn(plane.client, name);

async function waitGone(path: string): Promise<void> {
  await eventually(`${path} gone`, async () => ((await plane.client.raw('GET', path)).status === 404 ? true : undefined), 10_000);
}

const post = (path: string, body: unknown, query?: Record<string, string>): Promise<RawResponse> =>
  plane.client.raw('POST', path, { body, ...(query ? { query } : {}) });
const mergePatch = (path: string, body: unknown): Promise<RawResponse> =>
  plane.client.raw('PATCH', path, { body, contentType: 'application/merge-patch+json' });


describe('CustomResourceDefinitions: the Shirt example', () => {
  const shirtCrd = loadYaml('shirt-resource-definition.yaml')[0]!;
  const shirts = loadYaml('shirt-resources.yaml');

  it('establishes the CRD: finalizer, accepted names, conditions, discovery', async () => {
    const created = expectOk(await post(crdsPath, shirtCrd), 201);
    expect(created.metadata.name).toBe('shirts.stable.example.com');
    const crd = await waitEstablished('shirts.stable.example.com');
    expect(crd.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    expect(conditionOf(crd, 'NamesAccepted')).toEqual(
      expect.objectContaining({ status: 'True', reason: 'NoConflicts', message: 'no conflicts found' }),
    );
    expect(conditionOf(crd, 'Established')).toEqual(
      expect.objectContaining({ status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }),
    );
    expect(conditionOf(crd, 'Established')?.lastTransitionTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(crd.status.acceptedNames).toEqual({ plural: 'shirts', singular: 'shirt', kind: 'Shirt', listKind: 'ShirtList' });
    expect(crd.status.storedVersions).toEqual(['v1']);

    const groups = expectOk<{ groups: { name: string; versions: { groupVersion: string }[] }[] }>(await plane.client.raw('GET', '/apis'), 200);
    expect(groups.groups.find((g) => g.name === 'stable.example.com')?.versions.map((v) => v.groupVersion)).toEqual(['stable.example.com/v1']);
    const resources = expectOk<{ resources: { name: string; namespaced: boolean; kind: string; singularName: string; verbs: string[] }[] }>(
      await plane.client.raw('GET', '/apis/stable.example.com/v1'),
      200,
    );
    expect(resources.resources).toEqual([expect.objectContaining({ name: 'shirts', singularName: 'shirt', namespaced: true, kind: 'Shirt' })]);
    expect(resources.resources[0]!.verbs).toEqual(expect.arrayContaining(['create', 'get', 'list', 'watch', 'delete', 'deletecollection', 'patch', 'update']));
  });

  it('creates the three Shirts of the example (201)', async () => {
    expect(shirts).toHaveLength(3);
    for (const shirt of shirts) {
      const created = expectOk(await post(shirtsPath, shirt), 201);
      expect(created).toEqual(expect.objectContaining({ apiVersion: 'stable.example.com/v1', kind: 'Shirt', spec: shirt.spec }));
      expect(created.metadata).toEqual(expect.objectContaining({ name: shirt.metadata.name, namespace: 'default', generation: 1 }));
      expect(created.metadata.uid).toBeTruthy();
    }
  });

  it('lists with field selectors on the selectable fields', async () => {
    const names = async (fieldSelector?: string) => {
      const list = expectOk<ObjList>(await plane.client.raw('GET', shirtsPath, fieldSelector ? { query: { fieldSelector } } : {}), 200);
      expect(list.kind).toBe('ShirtList');
      expect(list.apiVersion).toBe('stable.example.com/v1');
      return list.items.map((i) => i.metadata.name).sort();
    };
    expect(await names()).toEqual(['example1', 'example2', 'example3']);
    expect(await names('spec.color=blue')).toEqual(['example1', 'example2']);
    expect(await names('spec.color!=blue')).toEqual(['example3']);
    expect(await names('spec.size=M')).toEqual(['example2', 'example3']);
    expect(await names('spec.color=blue,spec.size=M')).toEqual(['example2']);
    expect(await names('metadata.name=example3')).toEqual(['example3']);
    // Across namespaces too.
    const all = expectOk<ObjList>(await plane.client.raw('GET', '/apis/stable.example.com/v1/shirts', { query: { fieldSelector: 'spec.color=green' } }), 200);
    expect(all.items.map((i) => i.metadata.name)).toEqual(['example3']);
    const bad = expectStatus(await plane.client.raw('GET', shirtsPath, { query: { fieldSelector: 'spec.fabric=cotton' } }), 400, 'BadRequest');
    expect(bad.message).toContain('field label not supported: spec.fabric');
  });

  it('watches with a field selector', async () => {
    const list = expectOk<ObjList>(await plane.client.raw('GET', shirtsPath), 200);
    const events: string[] = [];
    const w = await plane.client.watch<LooseObj>(shirtsPath, { resourceVersion: list.metadata.resourceVersion, fieldSelector: 'spec.color=blue' }, (e) =>
      events.push(`${e.type} ${e.object.metadata.name}`),
    );
    try {
      expectOk(await mergePatch(`${shirtsPath}/example3`, { spec: { color: 'blue' } }), 200);
      expectOk(await mergePatch(`${shirtsPath}/example3`, { spec: { color: 'green' } }), 200);
      await eventually('watch events', async () => (events.length >= 2 ? true : undefined));
      expect(events).toEqual(['ADDED example3', 'DELETED example3']);
    } finally {
      w.close();
    }
  });

  it('gets, patches, replaces and deletes a Shirt', async () => {
    const got = expectOk(await plane.client.raw('GET', `${shirtsPath}/example1`), 200);
    expect(got.spec).toEqual({ color: 'blue', size: 'S' });
    const patched = expectOk(await mergePatch(`${shirtsPath}/example1`, { spec: { size: 'L' }, metadata: { labels: { fit: 'slim' } } }), 200);
    expect(patched.spec).toEqual({ color: 'blue', size: 'L' });
    expect(patched.metadata.labels).toEqual({ fit: 'slim' });
    expect(patched.metadata.generation).toBe(2);
    const jsonPatched = expectOk(
      await plane.client.raw('PATCH', `${shirtsPath}/example1`, { body: [{ op: 'replace', path: '/spec/color', value: 'red' }], contentType: 'application/json-patch+json' }),
      200,
    );
    expect(jsonPatched.spec.color).toBe('red');
    const replaced = expectOk(
      await plane.client.raw('PUT', `${shirtsPath}/example1`, { body: { ...jsonPatched, spec: { color: 'black', size: 'S' } } }),
      200,
    );
    expect(replaced.spec).toEqual({ color: 'black', size: 'S' });
    // Strategic merge patch is not supported for custom resources.
    expectStatus(await plane.client.raw('PATCH', `${shirtsPath}/example1`, { body: {}, contentType: 'application/strategic-merge-patch+json' }), 415);

    // DELETE answers with the deleted object, as Kubernetes does for custom resources.
    const deleted = expectOk(await plane.client.raw('DELETE', `${shirtsPath}/example1`), 200);
    expect(deleted.kind).toBe('Shirt');
    expect(deleted.metadata.name).toBe('example1');
    expectStatus(await plane.client.raw('GET', `${shirtsPath}/example1`), 404, 'NotFound');
    expectOk(await post(shirtsPath, shirts[0]), 201);
  });

  it('prunes unknown fields (Warn), rejects them (Strict), and drops them silently (Ignore)', async () => {
    const body = { apiVersion: 'stable.example.com/v1', kind: 'Shirt', metadata: { name: 'pruned', annotations: { a: 'b' } }, spec: { color: 'red', fabric: 'cotton' }, extra: 1 };
    const strict = expectStatus(await post(shirtsPath, structuredClone(body), { fieldValidation: 'Strict' }), 400, 'BadRequest');
    expect(strict.message).toContain('strict decoding error:');
    expect(strict.message).toContain('unknown field "spec.fabric"');
    expect(strict.message).toContain('unknown field "extra"');

    const warned = await post(shirtsPath, structuredClone(body), { fieldValidation: 'Warn' });
    const obj = expectOk(warned, 201);
    expect(obj.spec).toEqual({ color: 'red' });
    expect(obj.extra).toBeUndefined();
    expect(obj.metadata.annotations).toEqual({ a: 'b' });
    expect(warned.headers.get('warning')).toContain('unknown field \\"spec.fabric\\"');

    const ignored = await post(shirtsPath, { ...structuredClone(body), metadata: { name: 'pruned2' } }, { fieldValidation: 'Ignore' });
    expect(expectOk(ignored, 201).spec).toEqual({ color: 'red' });
    expect(ignored.headers.get('warning')).toBeNull();

    // Stored pruned: a read shows the same.
    expect(expectOk(await plane.client.raw('GET', `${shirtsPath}/pruned`), 200).spec).toEqual({ color: 'red' });
    // A wrong kind or apiVersion is refused.
    expectStatus(await post(shirtsPath, { ...body, kind: 'Pants', metadata: { name: 'x' } }), 400, 'BadRequest');
    expectStatus(await post(shirtsPath, { ...body, apiVersion: 'stable.example.com/v2', metadata: { name: 'x' } }), 400, 'BadRequest');
    // Names are DNS subdomains.
    const badName = expectStatus(await post(shirtsPath, { ...body, metadata: { name: 'Bad_Name' } }), 422, 'Invalid');
    expect(causeFields(badName)).toEqual(['metadata.name']);
  });

  it('refuses a second CRD whose kind is taken in the group (NamesAccepted=False, not served)', async () => {
    const other = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'tshirts.stable.example.com' },
      spec: {
        group: 'stable.example.com',
        scope: 'Namespaced',
        names: { plural: 'tshirts', kind: 'Shirt' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
      },
    };
    expectOk(await post(crdsPath, other), 201);
    const crd = await eventually(
      'NamesAccepted condition',
      async () => {
        const got = expectOk(await plane.client.raw('GET', `${crdsPath}/tshirts.stable.example.com`), 200);
        return conditionOf(got, 'NamesAccepted') ? got : undefined;
      },
      10_000,
    );
    // As in Kubernetes, the last conflict found (kind, then listKind) names the reason.
    expect(conditionOf(crd, 'NamesAccepted')).toEqual(
      expect.objectContaining({ status: 'False', reason: 'ListKindConflict', message: '"ShirtList" is already in use' }),
    );
    expect(conditionOf(crd, 'Established')).toEqual(expect.objectContaining({ status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' }));
    expect(crd.status.acceptedNames).toEqual(expect.objectContaining({ plural: 'tshirts', kind: '' }));
    expectStatus(await plane.client.raw('GET', '/apis/stable.example.com/v1/namespaces/default/tshirts'), 404);
    const resources = expectOk<{ resources: { name: string }[] }>(await plane.client.raw('GET', '/apis/stable.example.com/v1'), 200);
    expect(resources.resources.map((r) => r.name)).toEqual(['shirts']);

    expectOk(await plane.client.raw('DELETE', `${crdsPath}/tshirts.stable.example.com`), 200);
    await waitGone(`${crdsPath}/tshirts.stable.example.com`);
  });

  it('refuses names a built-in resource of the group has', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'leases.coordination.k8s.io', annotations: { 'api-approved.kubernetes.io': 'unapproved, testing only' } },
      spec: {
        group: 'coordination.k8s.io',
        scope: 'Namespaced',
        names: { plural: 'leases', kind: 'Lease' },
        versions: [{ name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
      },
    };
    expectOk(await post(crdsPath, crd), 201);
    const got = await eventually(
      'NamesAccepted condition',
      async () => {
        const c = expectOk(await plane.client.raw('GET', `${crdsPath}/leases.coordination.k8s.io`), 200);
        return conditionOf(c, 'NamesAccepted') ? c : undefined;
      },
      10_000,
    );
    expect(conditionOf(got, 'NamesAccepted')).toEqual(expect.objectContaining({ status: 'False' }));
    expect(['PluralConflict', 'SingularConflict', 'KindConflict', 'ListKindConflict']).toContain(conditionOf(got, 'NamesAccepted')?.reason);
    expectStatus(await plane.client.raw('GET', '/apis/coordination.k8s.io/v2/namespaces/default/leases'), 404);
    // The built-in leases are untouched.
    expectOk(await plane.client.raw('GET', '/apis/coordination.k8s.io/v1/namespaces/default/leases'), 200);
    expectOk(await plane.client.raw('DELETE', `${crdsPath}/leases.coordination.k8s.io`), 200);
    await waitGone(`${crdsPath}/leases.coordination.k8s.io`);
  });

  it('deleting the CRD deletes its custom resources, then the CRD, and drops it from discovery', async () => {
    // One more Shirt in another namespace, and one held back by a finalizer for a moment.
    expectOk(await post('/api/v1/namespaces', { metadata: { name: 'shirts-elsewhere' } }), 201);
    const elsewhere = '/apis/stable.example.com/v1/namespaces/shirts-elsewhere/shirts';
    expectOk(await post(elsewhere, { metadata: { name: 'far' }, spec: { color: 'white' } }), 201);
    expectOk(await post(shirtsPath, { metadata: { name: 'held', finalizers: ['example.com/hold'] }, spec: { color: 'grey' } }), 201);

    const res = await plane.client.raw('DELETE', `${crdsPath}/shirts.stable.example.com`);
    const marked = expectOk(res, 200);
    expect(marked.metadata.deletionTimestamp).toBeTruthy();

    // While terminating: new Shirts are refused; the held one is marked for deletion.
    const terminating = await eventually('Terminating condition', async () => {
      const crd = expectOk(await plane.client.raw('GET', `${crdsPath}/shirts.stable.example.com`), 200);
      return conditionOf(crd, 'Terminating')?.status === 'True' ? crd : undefined;
    });
    expect(conditionOf(terminating, 'Terminating')).toEqual(
      expect.objectContaining({ reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' }),
    );
    const refused = expectStatus(await post(shirtsPath, { metadata: { name: 'late' }, spec: {} }), 405, 'MethodNotAllowed');
    expect(refused.message).toBe('create not allowed while custom resource definition is terminating');
    const held = await eventually('held Shirt marked', async () => {
      const r = await plane.client.raw('GET', `${shirtsPath}/held`);
      const o = r.json as LooseObj;
      return r.status === 200 && o.metadata.deletionTimestamp ? o : undefined;
    });
    expect(held.metadata.finalizers).toEqual(['example.com/hold']);
    expectOk(await mergePatch(`${shirtsPath}/held`, { metadata: { finalizers: null } }), 200);

    await waitGone(`${crdsPath}/shirts.stable.example.com`);
    expectStatus(await plane.client.raw('GET', shirtsPath), 404);
    expectStatus(await plane.client.raw('GET', '/apis/stable.example.com/v1'), 404);
    const groups = expectOk<{ groups: { name: string }[] }>(await plane.client.raw('GET', '/apis'), 200);
    expect(groups.groups.map((g) => g.name)).not.toContain('stable.example.com');
    // Nothing is left in storage.
    const left = await plane.server.storage.list('/registry/stable.example.com/shirts/');
    expect(left.items).toEqual([]);

    // Created again, the CRD starts empty.
    expectOk(await post(crdsPath, shirtCrd), 201);
    await waitEstablished('shirts.stable.example.com');
    expect(expectOk<ObjList>(await plane.client.raw('GET', '/apis/stable.example.com/v1/shirts'), 200).items).toEqual([]);
  });
});

describe('CustomResourceDefinitions: validation, defaults and subresources', () => {
  const widgetsPath = '/apis/test.marina.dev/v1/namespaces/default/widgets';
  const widgetCrd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.test.marina.dev' },
    spec: {
      group: 'test.marina.dev',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'], categories: ['all'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['color'],
                  properties: {
                    color: { type: 'string' },
                    size: { type: 'string', enum: ['S', 'M', 'L'] },
                    replicas: { type: 'integer', minimum: 0, maximum: 10 },
                    name: { type: 'string', pattern: '^[a-z]+$', maxLength: 5 },
                    tags: { type: 'array', maxItems: 2, items: { type: 'string', minLength: 2 } },
                    port: { 'x-kubernetes-int-or-string': true },
                    mode: { type: 'string', default: 'fast' },
                    options: { type: 'object', default: {}, properties: { retries: { type: 'integer', default: 3 }, verbose: { type: 'boolean' } } },
                    note: { type: 'string', nullable: true },
                    email: { type: 'string', format: 'email' },
                    labels: { type: 'object', additionalProperties: { type: 'string', maxLength: 3 } },
                    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                    choice: {
                      type: 'object',
                      properties: { a: { type: 'string' }, b: { type: 'string' } },
                      oneOf: [{ required: ['a'] }, { required: ['b'] }],
                    },
                  },
                },
                status: { type: 'object', properties: { phase: { type: 'string' }, replicas: { type: 'integer' }, selector: { type: 'string' } } },
              },
            },
          },
        },
      ],
    },
  };

  beforeAll(async () => {
    expectOk(await post(crdsPath, widgetCrd), 201);
    await waitEstablished('widgets.test.marina.dev');
  }, 20_000);

  const widget = (name: string, spec: Record<string, unknown>, extra: Partial<LooseObj> = {}): LooseObj => ({
    apiVersion: 'test.marina.dev/v1',
    kind: 'Widget',
    metadata: { name },
    spec,
    ...extra,
  });

  it('answers schema violations with 422 and Kubernetes messages', async () => {
    const res = await post(widgetsPath, widget('bad', { size: 'XXL', replicas: 'string', name: 'x1' }));
    const st = expectStatus(res, 422, 'Invalid');
    const msg = st.message!;
    expect(msg).toMatch(/^Widget\.test\.marina\.dev "bad" is invalid: \[/);
    expect(msg).toContain('spec.size: Unsupported value: "XXL": supported values: "S", "M", "L"');
    expect(msg).toContain('spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"');
    expect(msg).toContain('spec.color: Required value');
    expect(msg).toContain("spec.name: Invalid value: \"x1\": spec.name in body should match '^[a-z]+$'");
    // The scale subresource's replicas path is checked too, named as declared (Kubernetes' ValidateScaleSpec).
    expect(msg).toContain('.spec.replicas: Invalid value: 0: .spec.replicas accessor error: string is of the type string, expected int64');
    expect(causeFields(st).sort()).toEqual(['.spec.replicas', 'spec.color', 'spec.name', 'spec.replicas', 'spec.size']);
    expect(st.details).toEqual(expect.objectContaining({ name: 'bad', group: 'test.marina.dev', kind: 'Widget' }));
    // Nothing was stored.
    expectStatus(await plane.client.raw('GET', `${widgetsPath}/bad`), 404);
  });

  it.each([
    [{ color: 'c', replicas: -1 }, 'spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0'],
    [{ color: 'c', replicas: 11 }, 'spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10'],
    [{ color: 'c', replicas: 1.5 }, 'spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"'],
    [{ color: 'c', name: 'abcdef' }, 'spec.name: Too long: may not be more than 5 bytes'],
    [{ color: 'c', tags: ['aa', 'bb', 'cc'] }, 'spec.tags: Too many: 3: must have at most 2 items'],
    [{ color: 'c', tags: ['a'] }, 'spec.tags[0]: Invalid value: "a": spec.tags[0] in body should be at least 2 chars long'],
    [{ color: 'c', port: true }, 'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"'],
    [{ color: 'c', email: 'nope' }, 'spec.email: Invalid value: "nope": spec.email in body must be of type email: "nope"'],
    [{ color: 'c', labels: { k: 'long' } }, 'spec.labels.k: Too long: may not be more than 3 bytes'],
    [{ color: 7 }, 'spec.color: Invalid value: "integer": spec.color in body must be of type string: "integer"'],
    [{ color: 'c', choice: {} }, '<nil>: Invalid value: "": "spec.choice" must validate one and only one schema (oneOf). Found none valid'],
    [{ color: 'c', choice: { a: 'x', b: 'y' } }, '<nil>: Invalid value: "": "spec.choice" must validate one and only one schema (oneOf). Found 2 valid alternatives'],
  ])('rejects %j: %s', async (spec, message) => {
    const st = expectStatus(await post(widgetsPath, widget('w', spec)), 422, 'Invalid');
    expect(st.message).toContain(message);
  });

  it('accepts valid values: int-or-string, nullable, preserved fields, oneOf', async () => {
    const created = expectOk(
      await post(widgetsPath, widget('ok', { color: 'c', port: 'http', note: null, extra: { anything: { goes: [1, 2] } }, choice: { a: 'x' }, email: 'a@b.c' })),
      201,
    );
    expect(created.spec.port).toBe('http');
    expect(created.spec.note).toBeNull();
    expect(created.spec.extra).toEqual({ anything: { goes: [1, 2] } });
    expectOk(await plane.client.raw('DELETE', `${widgetsPath}/ok`), 200);
  });

  it('applies defaults, including defaults inside defaulted objects', async () => {
    const created = expectOk(await post(widgetsPath, widget('defaults', { color: 'c', options: { verbose: true } })), 201);
    expect(created.spec).toEqual({ color: 'c', mode: 'fast', options: { retries: 3, verbose: true } });
    const bare = expectOk(await post(widgetsPath, widget('defaults2', { color: 'c', mode: null })), 201);
    expect(bare.spec).toEqual({ color: 'c', mode: 'fast', options: { retries: 3 } });
  });

  it('serves the status subresource: status is ignored on create and main-resource writes', async () => {
    const created = expectOk(await post(widgetsPath, widget('st', { color: 'c', replicas: 2 }, { status: { phase: 'Ready' } })), 201);
    expect(created.status).toBeUndefined();
    const withStatus = expectOk(
      await plane.client.raw('PUT', `${widgetsPath}/st/status`, { body: { ...created, spec: { color: 'ignored' }, status: { phase: 'Running', replicas: 1 } } }),
      200,
    );
    expect(withStatus.status).toEqual({ phase: 'Running', replicas: 1 });
    expect(withStatus.spec.color).toBe('c');
    expect(withStatus.metadata.generation).toBe(1);
    const mainPatch = expectOk(await mergePatch(`${widgetsPath}/st`, { spec: { color: 'd' }, status: { phase: 'Hacked' } }), 200);
    expect(mainPatch.status).toEqual({ phase: 'Running', replicas: 1 });
    expect(mainPatch.metadata.generation).toBe(2);
    const statusPatch = expectOk(await mergePatch(`${widgetsPath}/st/status`, { status: { phase: 'Done' } }), 200);
    expect(statusPatch.status.phase).toBe('Done');
    // Status is validated too.
    const bad = expectStatus(await mergePatch(`${widgetsPath}/st/status`, { status: { replicas: 'many' } }), 422, 'Invalid');
    expect(bad.message).toContain('status.replicas: Invalid value: "string": status.replicas in body must be of type integer: "string"');
    expect(expectOk(await plane.client.raw('GET', `${widgetsPath}/st/status`), 200).status.phase).toBe('Done');

    const discovery = expectOk<{ resources: { name: string; shortNames?: string[]; categories?: string[] }[] }>(
      await plane.client.raw('GET', '/apis/test.marina.dev/v1'),
      200,
    );
    expect(discovery.resources.map((r) => r.name).sort()).toEqual(['widgets', 'widgets/scale', 'widgets/status']);
    expect(discovery.resources.find((r) => r.name === 'widgets')).toEqual(expect.objectContaining({ shortNames: ['wd'], categories: ['all'] }));
  });

  it('serves the scale subresource', async () => {
    expectOk(await post(widgetsPath, widget('sc', { color: 'c', replicas: 3 })), 201);
    const scale = expectOk(await plane.client.raw('GET', `${widgetsPath}/sc/scale`), 200);
    expect(scale).toEqual(expect.objectContaining({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 } }));
    const scaled = expectOk(await mergePatch(`${widgetsPath}/sc/scale`, { spec: { replicas: 5 } }), 200);
    expect(scaled.spec.replicas).toBe(5);
    expect(expectOk(await plane.client.raw('GET', `${widgetsPath}/sc`), 200).spec.replicas).toBe(5);
    // Beyond the schema's maximum.
    expectStatus(await mergePatch(`${widgetsPath}/sc/scale`, { spec: { replicas: 50 } }), 422, 'Invalid');
  });

  it('is served by an API server as soon as it starts (existing CRDs are handled before ready)', async () => {
    const second = await startApiServer({ etcdServers: [plane.etcdEndpoint], port: 0, log: createLogger('apiserver-2', { level: 'error' }) });
    try {
      const client = new RestClient({ server: second.url });
      const res = await client.raw('GET', widgetsPath);
      expect(res.status).toBe(200);
      expect((res.json as ObjList).items.length).toBeGreaterThan(0);
      const discovery = await client.raw('GET', '/apis/test.marina.dev/v1');
      expect(discovery.status).toBe(200);
    } finally {
      await second.stop();
    }
    // The first server still serves them.
    expectOk(await plane.client.raw('GET', widgetsPath), 200);
  });

  it('follows a change of the schema (re-registered), e.g. a new field and a new default', async () => {
    const crd = expectOk(await plane.client.raw('GET', `${crdsPath}/widgets.test.marina.dev`), 200);
    crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.flavor = { type: 'string', default: 'vanilla' };
    expectOk(await plane.client.raw('PUT', `${crdsPath}/widgets.test.marina.dev`, { body: crd }), 200);
    const created = await eventually('new field served', async () => {
      const r = await post(widgetsPath, widget(`flavored-${Date.now()}`, { color: 'c' }), { fieldValidation: 'Strict' });
      return r.status === 201 && (r.json as LooseObj).spec.flavor === 'vanilla' ? (r.json as LooseObj) : undefined;
    });
    expect(created.spec.flavor).toBe('vanilla');
    // Objects stored before get the default when read, as Kubernetes defaults on read.
    expect(expectOk(await plane.client.raw('GET', `${widgetsPath}/sc`), 200).spec.flavor).toBe('vanilla');
  });
});

describe('CustomResourceDefinitions: several versions', () => {
  const base = '/apis/multi.marina.dev';
  const gizmoCrd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'gizmos.multi.marina.dev' },
    spec: {
      group: 'multi.marina.dev',
      scope: 'Cluster',
      names: { plural: 'gizmos', kind: 'Gizmo' },
      versions: [
        {
          name: 'v1beta1',
          served: true,
          storage: false,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' }, legacy: { type: 'string' } } } } } },
        },
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } },
        },
      ],
    },
  };

  beforeAll(async () => {
    expectOk(await post(crdsPath, gizmoCrd), 201);
    await waitEstablished('gizmos.multi.marina.dev');
  }, 20_000);

  it('serves both versions, in discovery and at their paths', async () => {
    const group = expectOk<{ versions: { groupVersion: string }[]; preferredVersion: { version: string } }>(await plane.client.raw('GET', base), 200);
    expect(group.versions.map((v) => v.groupVersion).sort()).toEqual(['multi.marina.dev/v1', 'multi.marina.dev/v1beta1']);
    // The GA version is preferred, as Kubernetes orders versions.
    expect(group.preferredVersion.version).toBe('v1');
    for (const v of ['v1', 'v1beta1']) {
      const list = expectOk<{ resources: { name: string; namespaced: boolean }[] }>(await plane.client.raw('GET', `${base}/${v}`), 200);
      expect(list.resources).toEqual([expect.objectContaining({ name: 'gizmos', namespaced: false })]);
    }
  });

  it('stores one object in the storage version and shows it in the version asked for', async () => {
    const created = expectOk(
      await post(`${base}/v1beta1/gizmos`, { apiVersion: 'multi.marina.dev/v1beta1', kind: 'Gizmo', metadata: { name: 'g1' }, spec: { size: 1, legacy: 'x' } }),
      201,
    );
    expect(created.apiVersion).toBe('multi.marina.dev/v1beta1');
    const stored = await plane.server.storage.get('/registry/multi.marina.dev/gizmos/g1');
    expect(stored?.apiVersion).toBe('multi.marina.dev/v1');
    expect((stored as LooseObj).spec).toEqual({ size: 1 });

    const asV1 = expectOk(await plane.client.raw('GET', `${base}/v1/gizmos/g1`), 200);
    expect(asV1.apiVersion).toBe('multi.marina.dev/v1');
    expect(asV1.spec).toEqual({ size: 1 });
    expect(expectOk(await plane.client.raw('GET', `${base}/v1beta1/gizmos/g1`), 200).apiVersion).toBe('multi.marina.dev/v1beta1');

    expectOk(await post(`${base}/v1/gizmos`, { metadata: { name: 'g2' }, spec: { size: 2 } }), 201);
    for (const v of ['v1', 'v1beta1']) {
      const list = expectOk<ObjList>(await plane.client.raw('GET', `${base}/${v}/gizmos`), 200);
      expect(list.items.map((i) => `${i.metadata.name} ${i.apiVersion}`)).toEqual([`g1 multi.marina.dev/${v}`, `g2 multi.marina.dev/${v}`]);
    }
    // A patch through either version applies to the same object.
    expectOk(await mergePatch(`${base}/v1beta1/gizmos/g2`, { spec: { size: 3 } }), 200);
    expect(expectOk(await plane.client.raw('GET', `${base}/v1/gizmos/g2`), 200).spec.size).toBe(3);
    const updated = expectOk(await plane.client.raw('PUT', `${base}/v1/gizmos/g1`, { body: { ...asV1, spec: { size: 4 } } }), 200);
    expect(updated.spec.size).toBe(4);
  });

  it('stops serving a version no longer served', async () => {
    const crd = expectOk(await plane.client.raw('GET', `${crdsPath}/gizmos.multi.marina.dev`), 200);
    crd.spec.versions[0].served = false;
    expectOk(await plane.client.raw('PUT', `${crdsPath}/gizmos.multi.marina.dev`, { body: crd }), 200);
    await waitGone(`${base}/v1beta1/gizmos`);
    expectOk(await plane.client.raw('GET', `${base}/v1/gizmos/g1`), 200);
    const group = expectOk<{ versions: { groupVersion: string }[] }>(await plane.client.raw('GET', base), 200);
    expect(group.versions.map((v) => v.groupVersion)).toEqual(['multi.marina.dev/v1']);
  });

  it('deleting the CRD deletes the objects of every version', async () => {
    expectOk(await plane.client.raw('DELETE', `${crdsPath}/gizmos.multi.marina.dev`), 200);
    await waitGone(`${crdsPath}/gizmos.multi.marina.dev`);
    expect((await plane.server.storage.list('/registry/multi.marina.dev/gizmos/')).items).toEqual([]);
    expectStatus(await plane.client.raw('GET', base), 404);
  });
});
