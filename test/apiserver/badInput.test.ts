/**
 * Bad input over HTTP: every malformed or invalid request is answered with the Status Kubernetes
 * gives it (code, reason, message, causes), never with a stack trace, and writes nothing to etcd.
 */
import type { RequestOptions } from '../../client/restClient';
import { useControlPlane } from '../harness/apiserver';
import { causeFields, configMapBody, deploymentBody, expectOk, objectVerbs, podBody, withoutWrites, type LooseObj } from './crudHelpers';
import { expectNoInternals, expectStatus, uniqueName, type StatusBody } from './helpers';

const plane = useControlPlane();

const ns = 'default';
const pods = `/api/v1/namespaces/${ns}/pods`;
const configmaps = `/api/v1/namespaces/${ns}/configmaps`;
const services = `/api/v1/namespaces/${ns}/services`;
const deployments = `/apis/apps/v1/namespaces/${ns}/deployments`;
const namespaces = '/api/v1/namespaces';

/** Sends a request that must be refused with `code` (and `reason`) without writing anything. */
async function refused(method: string, path: string, options: RequestOptions, code: number, reason?: string): Promise<StatusBody> {
  const res = await withoutWrites(plane, () => plane.client.raw(method, path, options));
  return expectStatus(res, code, reason);
}

/** Asserts the object at `path` does not exist. */
async function expectAbsent(path: string): Promise<void> {
  expectStatus(await plane.client.raw('GET', path), 404, 'NotFound');
}

const { create, get } = objectVerbs(plane);

describe('malformed bodies (400 BadRequest)', () => {
  it('malformed JSON', async () => {
    const status = await refused('POST', configmaps, { rawBody: '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"', contentType: 'application/json' }, 400, 'BadRequest');
    expect(status.message).toBeTruthy();
    await expectAbsent(`${configmaps}/x`);
  });

  it('malformed YAML', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad-yaml\n   labels: [unclosed\ndata: {a: 1\n';
    await refused('POST', configmaps, { rawBody: yaml, contentType: 'application/yaml' }, 400, 'BadRequest');
    await expectAbsent(`${configmaps}/bad-yaml`);
  });

  it('an empty body, on create and on update', async () => {
    await refused('POST', configmaps, { rawBody: '', contentType: 'application/json' }, 400, 'BadRequest');
    const name = uniqueName('cm');
    const created = await create(configmaps, configMapBody(name));
    await refused('PUT', `${configmaps}/${name}`, { rawBody: '', contentType: 'application/json' }, 400, 'BadRequest');
    expect(await get(`${configmaps}/${name}`)).toEqual(created);
  });

  it.each([
    ['an array', '[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"arr"}}]'],
    ['a string', '"a string"'],
    ['null', 'null'],
    ['a number', '42'],
  ])('a body that is %s', async (_what, rawBody) => {
    await refused('POST', configmaps, { rawBody, contentType: 'application/json' }, 400, 'BadRequest');
    await expectAbsent(`${configmaps}/arr`);
  });

  it('a kind that does not match the path', async () => {
    const name = uniqueName('cm');
    const status = await refused('POST', configmaps, { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name } } }, 400, 'BadRequest');
    expect(status.message).toContain('Secret');
    await expectAbsent(`${configmaps}/${name}`);
    await expectAbsent(`/api/v1/namespaces/${ns}/secrets/${name}`);
  });

  it('an apiVersion that does not match the path', async () => {
    const name = uniqueName('cm');
    const status = await refused('POST', configmaps, { body: { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name } } }, 400, 'BadRequest');
    expect(status.message).toContain('apps/v1');
    await expectAbsent(`${configmaps}/${name}`);
    const dep = uniqueName('dep');
    await refused('POST', deployments, { body: { ...deploymentBody(dep), apiVersion: 'extensions/v1beta1' } }, 400, 'BadRequest');
    await expectAbsent(`${deployments}/${dep}`);
  });

  it('a body namespace different from the path', async () => {
    const other = uniqueName('ns');
    await create(namespaces, { metadata: { name: other } });
    const name = uniqueName('cm');
    const status = await refused('POST', configmaps, { body: configMapBody(name, {}, { namespace: other }) }, 400, 'BadRequest');
    expect(status.message).toBe('the namespace of the provided object does not match the namespace sent on the request');
    await expectAbsent(`${configmaps}/${name}`);
    await expectAbsent(`/api/v1/namespaces/${other}/configmaps/${name}`);

    const existing = uniqueName('cm');
    const created = await create(configmaps, configMapBody(existing));
    await refused('PUT', `${configmaps}/${existing}`, { body: configMapBody(existing, { x: 'y' }, { namespace: other }) }, 400, 'BadRequest');
    expect(await get(`${configmaps}/${existing}`)).toEqual(created);
  });

  it('a PUT whose body name differs from the URL', async () => {
    const name = uniqueName('cm');
    const created = await create(configmaps, configMapBody(name));
    const status = await refused('PUT', `${configmaps}/${name}`, { body: configMapBody('someone-else', { x: 'y' }) }, 400, 'BadRequest');
    expect(status.message).toBe(`the name of the object (someone-else) does not match the name on the URL (${name})`);
    expect(await get(`${configmaps}/${name}`)).toEqual(created);
    await expectAbsent(`${configmaps}/someone-else`);
  });

  it('a value of the wrong type (replicas: "three")', async () => {
    const name = uniqueName('dep');
    const body = deploymentBody(name);
    body.spec.replicas = 'three';
    const status = await refused('POST', deployments, { body }, 400, 'BadRequest');
    expect(status.message).toContain('cannot be handled as a Deployment');
    expect(status.message).toContain('replicas');
    await expectAbsent(`${deployments}/${name}`);

    const cm = uniqueName('cm');
    await refused('POST', configmaps, { body: { metadata: { name: cm, labels: { a: 1 } }, data: {} } }, 400, 'BadRequest');
    await refused('POST', configmaps, { body: { metadata: { name: cm }, data: ['not', 'a', 'map'] } }, 400, 'BadRequest');
    await expectAbsent(`${configmaps}/${cm}`);
  });

  it('resourceVersion set on create', async () => {
    const name = uniqueName('cm');
    const status = await refused('POST', configmaps, { body: configMapBody(name, {}, { resourceVersion: '12' }) }, 400, 'BadRequest');
    expect(status.message).toBe('resourceVersion should not be set on objects to be created');
    await expectAbsent(`${configmaps}/${name}`);
  });
});

describe('invalid objects (422 Invalid)', () => {
  it('neither name nor generateName: cause metadata.name', async () => {
    const status = await refused('POST', configmaps, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {}, data: {} } }, 422, 'Invalid');
    expect(causeFields(status)).toEqual(['metadata.name']);
    expect(status.details?.causes?.[0]?.reason).toBe('FieldValueRequired');
    expect(status.message).toBe('ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
    expect(status.details?.kind).toBe('ConfigMap');

    await refused('POST', configmaps, { body: { data: {} } }, 422, 'Invalid');
  });

  it('a configmap name that is not a DNS-1123 subdomain', async () => {
    for (const name of ['Upper-Case', 'under_score', '-leading-dash', 'a'.repeat(254)]) {
      const status = await refused('POST', configmaps, { body: configMapBody(name) }, 422, 'Invalid');
      expect(causeFields(status)).toEqual(['metadata.name']);
      expect(status.details?.causes?.[0]?.reason).toBe('FieldValueInvalid');
      expect(status.message).toContain(`ConfigMap "${name}" is invalid: metadata.name: Invalid value: "${name}"`);
    }
    // Dots are fine in a subdomain.
    const dotted = `${uniqueName('dotted')}.example.com`;
    await create(configmaps, configMapBody(dotted));
  });

  it('a namespace name that is not a DNS-1123 label', async () => {
    for (const name of ['has.dot', 'Upper']) {
      const status = await refused('POST', namespaces, { body: { metadata: { name } } }, 422, 'Invalid');
      expect(causeFields(status)).toEqual(['metadata.name']);
      expect(status.message).toContain(`Namespace "${name}" is invalid: metadata.name: Invalid value: "${name}": a lowercase RFC 1123 label must consist of`);
      await expectAbsent(`${namespaces}/${name}`);
    }
    // Too long for a label; the defaulted kubernetes.io/metadata.name label is then invalid too.
    const long = 'a'.repeat(64);
    const status = await refused('POST', namespaces, { body: { metadata: { name: long } } }, 422, 'Invalid');
    expect(causeFields(status)).toEqual(['metadata.name', 'metadata.labels']);
    expect(status.message).toContain(`metadata.name: Invalid value: "${long}": must be no more than 63 characters`);
    await expectAbsent(`${namespaces}/${long}`);
  });

  it('a service name that is not a DNS-1035 label', async () => {
    const service = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }], selector: { app: 'x' } } });
    for (const name of ['1starts-with-digit', 'has.dot', 'Upper']) {
      const status = await refused('POST', services, { body: service(name) }, 422, 'Invalid');
      expect(causeFields(status)).toContain('metadata.name');
      expect(status.message).toContain(`Service "${name}" is invalid: metadata.name: Invalid value: "${name}"`);
      expect(status.message).toContain('a DNS-1035 label must consist of');
    }
    await create(services, service(uniqueName('svc')));
  });

  it('invalid label keys and values: causes under metadata.labels', async () => {
    const name = uniqueName('cm');
    const badKey = await refused('POST', configmaps, { body: configMapBody(name, {}, { labels: { 'bad key!': 'v' } }) }, 422, 'Invalid');
    expect(causeFields(badKey)).toEqual(['metadata.labels']);
    expect(badKey.message).toContain('metadata.labels: Invalid value: "bad key!"');

    const badValue = await refused('POST', configmaps, { body: configMapBody(name, {}, { labels: { ok: 'bad value!' } }) }, 422, 'Invalid');
    expect(causeFields(badValue)).toEqual(['metadata.labels']);
    expect(badValue.message).toContain('metadata.labels: Invalid value: "bad value!"');

    const tooLong = await refused('POST', configmaps, { body: configMapBody(name, {}, { labels: { ok: 'v'.repeat(64) } }) }, 422, 'Invalid');
    expect(causeFields(tooLong)).toEqual(['metadata.labels']);

    const badPrefix = await refused('POST', configmaps, { body: configMapBody(name, {}, { labels: { 'Bad_Prefix/key': 'v' } }) }, 422, 'Invalid');
    expect(causeFields(badPrefix)).toEqual(['metadata.labels']);
    await expectAbsent(`${configmaps}/${name}`);

    // The same rules hold on update (a patch that would store a bad label).
    const created = await create(configmaps, configMapBody(name));
    const patch = await refused('PATCH', `${configmaps}/${name}`, { body: { metadata: { labels: { 'bad key!': 'v' } } }, contentType: 'application/merge-patch+json' }, 422, 'Invalid');
    expect(causeFields(patch)).toEqual(['metadata.labels']);
    expect(await get(`${configmaps}/${name}`)).toEqual(created);
  });

  it('invalid annotation keys: causes under metadata.annotations', async () => {
    const name = uniqueName('cm');
    const status = await refused('POST', configmaps, { body: configMapBody(name, {}, { annotations: { 'bad key': 'v' } }) }, 422, 'Invalid');
    expect(causeFields(status)).toEqual(['metadata.annotations']);
    expect(status.message).toContain('metadata.annotations: Invalid value: "bad key"');
    await expectAbsent(`${configmaps}/${name}`);
    // Any value is fine in an annotation.
    await create(configmaps, configMapBody(name, {}, { annotations: { 'example.com/note': 'anything goes: !@# \n' } }));
  });

  it('a field the schema requires is missing: a pod without containers', async () => {
    const name = uniqueName('pod');
    const status = await refused('POST', pods, { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: {} } }, 422, 'Invalid');
    expect(causeFields(status)).toContain('spec.containers');
    expect(status.message).toContain(`Pod "${name}" is invalid`);
    expect(status.message).toContain('spec.containers: Required value');
    await expectAbsent(`${pods}/${name}`);

    const noImage = await refused('POST', pods, { body: podBody(name, { spec: { containers: [{ name: 'c' }] } }) }, 422, 'Invalid');
    expect(causeFields(noImage)).toContain('spec.containers[0].image');
    expect(noImage.message).toContain('spec.containers[0].image: Required value');
    await expectAbsent(`${pods}/${name}`);
  });

  it('an enum violation is 422 Unsupported value', async () => {
    const name = uniqueName('pod');
    const status = await refused('POST', pods, { body: podBody(name, { spec: { restartPolicy: 'Sometimes', containers: [{ name: 'c', image: 'busybox' }] } }) }, 422, 'Invalid');
    expect(causeFields(status)).toContain('spec.restartPolicy');
    const cause = status.details!.causes!.find((c) => c.field === 'spec.restartPolicy')!;
    expect(cause.reason).toBe('FieldValueNotSupported');
    expect(cause.message).toContain('Unsupported value: "Sometimes"');
    expect(status.message).toContain('spec.restartPolicy: Unsupported value: "Sometimes": supported values: ');
    await expectAbsent(`${pods}/${name}`);

    const svc = uniqueName('svc');
    const svcStatus = await refused(
      'POST',
      services,
      { body: { metadata: { name: svc }, spec: { type: 'Teleport', ports: [{ port: 80 }] } } },
      422,
      'Invalid',
    );
    expect(svcStatus.message).toContain('spec.type: Unsupported value: "Teleport"');
  });
});

describe('fieldValidation and unknown fields', () => {
  const withUnknown = (name: string): LooseObj => {
    const body = deploymentBody(name);
    body.spec.foo = 'bar';
    return body;
  };

  it('Strict: 400 strict decoding error naming the field', async () => {
    const name = uniqueName('dep');
    const status = await refused('POST', deployments, { body: withUnknown(name), query: { fieldValidation: 'Strict' } }, 400, 'BadRequest');
    expect(status.message).toContain('strict decoding error: unknown field "spec.foo"');
    await expectAbsent(`${deployments}/${name}`);
  });

  it('Warn: stored without the field, with a 299 Warning header', async () => {
    const name = uniqueName('dep');
    const res = await plane.client.raw('POST', deployments, { body: withUnknown(name), query: { fieldValidation: 'Warn' } });
    const created = expectOk(res, 201);
    expect(res.headers.get('warning')).toBe('299 - "unknown field \\"spec.foo\\""');
    expect(created.spec.foo).toBeUndefined();
    expect((await get(`${deployments}/${name}`)).spec.foo).toBeUndefined();
  });

  it('Ignore: stored without the field, no Warning header', async () => {
    const name = uniqueName('dep');
    const res = await plane.client.raw('POST', deployments, { body: withUnknown(name), query: { fieldValidation: 'Ignore' } });
    const created = expectOk(res, 201);
    expect(res.headers.get('warning')).toBeNull();
    expect(created.spec.foo).toBeUndefined();
    expect((await get(`${deployments}/${name}`)).spec.foo).toBeUndefined();
  });

  it('no parameter behaves as Warn', async () => {
    const name = uniqueName('dep');
    const res = await plane.client.raw('POST', deployments, { body: withUnknown(name) });
    const created = expectOk(res, 201);
    expect(res.headers.get('warning')).toBe('299 - "unknown field \\"spec.foo\\""');
    expect(created.spec.foo).toBeUndefined();
  });

  it('unknown fields on update and patch follow the same modes', async () => {
    const name = uniqueName('dep');
    const path = `${deployments}/${name}`;
    const created = await create(deployments, deploymentBody(name));
    const strictPut = await refused('PUT', path, { body: { ...created, spec: { ...created.spec, foo: 1 } }, query: { fieldValidation: 'Strict' } }, 400, 'BadRequest');
    expect(strictPut.message).toContain('unknown field "spec.foo"');
    const strictPatch = await refused(
      'PATCH',
      path,
      { body: { spec: { foo: 1 } }, contentType: 'application/merge-patch+json', query: { fieldValidation: 'Strict' } },
      400,
      'BadRequest',
    );
    expect(strictPatch.message).toContain('unknown field "spec.foo"');
    expect(await get(path)).toEqual(created);

    const warned = await plane.client.raw('PATCH', path, { body: { spec: { foo: 1 } }, contentType: 'application/merge-patch+json' });
    expect(warned.status).toBe(200);
    expect(warned.headers.get('warning')).toBe('299 - "unknown field \\"spec.foo\\""');
  });

  it('an invalid fieldValidation value is 400', async () => {
    const name = uniqueName('cm');
    const status = await refused('POST', configmaps, { body: configMapBody(name), query: { fieldValidation: 'Sloppy' } }, 400, 'BadRequest');
    expect(status.message).toContain('Sloppy');
    await expectAbsent(`${configmaps}/${name}`);
  });

  it('an invalid dryRun value is 400, on create, update, patch and delete', async () => {
    const name = uniqueName('cm');
    const status = await refused('POST', configmaps, { body: configMapBody(name), query: { dryRun: 'Yes' } }, 400, 'BadRequest');
    expect(status.message).toContain('Yes');
    await expectAbsent(`${configmaps}/${name}`);

    const created = await create(configmaps, configMapBody(name));
    const path = `${configmaps}/${name}`;
    await refused('PUT', path, { body: configMapBody(name, { a: 'b' }), query: { dryRun: 'true' } }, 400, 'BadRequest');
    await refused('PATCH', path, { body: { data: { a: 'b' } }, contentType: 'application/merge-patch+json', query: { dryRun: 'all' } }, 400, 'BadRequest');
    await refused('DELETE', path, { query: { dryRun: 'Yes' } }, 400, 'BadRequest');
    expect(await get(path)).toEqual(created);
  });
});

describe('sizes (413 RequestEntityTooLarge)', () => {
  it('a body over 3 MiB', async () => {
    const name = uniqueName('cm');
    const body = JSON.stringify(configMapBody(name, { big: 'x'.repeat(3 * 1024 * 1024 + 10) }));
    const status = await refused('POST', configmaps, { rawBody: body, contentType: 'application/json' }, 413, 'RequestEntityTooLarge');
    expect(status.message).toBeTruthy();
    await expectAbsent(`${configmaps}/${name}`);
  });

  it('an object whose stored size would exceed 1.5 MiB, with a body under 3 MiB', async () => {
    // 1.7 MiB of container arguments: no per-field limit applies, only the stored-object limit.
    const args = Array.from({ length: 17 }, () => 'a'.repeat(100 * 1024 + 1));
    const name = uniqueName('pod');
    const text = JSON.stringify(podBody(name, { spec: { containers: [{ name: 'c', image: 'busybox', args }] } }));
    expect(Buffer.byteLength(text)).toBeLessThan(3 * 1024 * 1024);
    expect(Buffer.byteLength(text)).toBeGreaterThan(1.5 * 1024 * 1024);
    await refused('POST', pods, { rawBody: text, contentType: 'application/json' }, 413, 'RequestEntityTooLarge');
    await expectAbsent(`${pods}/${name}`);

    // And an update that would grow an object past the limit.
    const dep = uniqueName('dep');
    const created = await create(deployments, deploymentBody(dep));
    const patch = { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.25', args }] } } } };
    await refused('PATCH', `${deployments}/${dep}`, { body: patch, contentType: 'application/merge-patch+json' }, 413, 'RequestEntityTooLarge');
    expect(await get(`${deployments}/${dep}`)).toEqual(created);
  });
});

describe('unknown paths and namespaces (404)', () => {
  it.each([
    ['GET', '/api/v1/foos'],
    ['GET', '/api/v1/namespaces/default/foos'],
    ['GET', '/api/v1/namespaces/default/foos/x'],
    ['GET', '/apis/nope/v1/things'],
    ['GET', '/apis/nope/v1/namespaces/default/things/x'],
    ['GET', '/apis/apps/v2/deployments'],
    ['GET', '/apis/nope/v1'],
    ['GET', '/apis/nope'],
  ])('%s %s', async (method, path) => {
    const status = await refused(method, path, {}, 404, 'NotFound');
    expect(status.message).toBe('the server could not find the requested resource');
  });

  it.each([
    ['/api/v1/foos', '/api/v1/namespaces/default/foos'],
    ['/apis/nope/v1/things', '/apis/nope/v1/namespaces/default/things'],
  ])('POST to an unknown resource (%s)', async (clusterPath, namespacedPath) => {
    const body = { apiVersion: 'v1', kind: 'Foo', metadata: { name: 'x' } };
    await refused('POST', clusterPath, { body }, 404, 'NotFound');
    await refused('POST', namespacedPath, { body }, 404, 'NotFound');
  });

  it('an unknown namespace: the namespace itself and writes into it', async () => {
    const missing = uniqueName('nowhere');
    const get404 = await refused('GET', `${namespaces}/${missing}`, {}, 404, 'NotFound');
    expect(get404.message).toBe(`namespaces "${missing}" not found`);
    const create404 = await refused('POST', `/api/v1/namespaces/${missing}/configmaps`, { body: configMapBody('x') }, 404, 'NotFound');
    expect(create404.message).toBe(`namespaces "${missing}" not found`);
    const dep404 = await refused('POST', `/apis/apps/v1/namespaces/${missing}/deployments`, { body: deploymentBody('x') }, 404, 'NotFound');
    expect(dep404.message).toBe(`namespaces "${missing}" not found`);
  });
});

describe('media types and methods', () => {
  it('an unsupported Content-Type on create is 415', async () => {
    const name = uniqueName('cm');
    const text = JSON.stringify(configMapBody(name));
    const status = await refused('POST', configmaps, { rawBody: text, contentType: 'text/plain' }, 415, 'UnsupportedMediaType');
    expect(status.message).toContain('text/plain');
    await refused('POST', configmaps, { rawBody: text, contentType: 'application/xml' }, 415, 'UnsupportedMediaType');
    await expectAbsent(`${configmaps}/${name}`);
  });

  it('an unsupported Content-Type on PATCH is 415 (including plain application/json)', async () => {
    const name = uniqueName('cm');
    const created = await create(configmaps, configMapBody(name));
    const path = `${configmaps}/${name}`;
    const patch = JSON.stringify({ data: { a: 'b' } });
    const status = await refused('PATCH', path, { rawBody: patch, contentType: 'text/plain' }, 415, 'UnsupportedMediaType');
    expect(status.message).toContain('text/plain');
    await refused('PATCH', path, { rawBody: patch, contentType: 'application/json' }, 415, 'UnsupportedMediaType');
    expect(await get(path)).toEqual(created);
  });

  it('a malformed patch body is 400', async () => {
    const name = uniqueName('cm');
    const created = await create(configmaps, configMapBody(name));
    const path = `${configmaps}/${name}`;
    await refused('PATCH', path, { rawBody: '{"data": ', contentType: 'application/merge-patch+json' }, 400, 'BadRequest');
    // A JSON patch must be an array of operations.
    await refused('PATCH', path, { rawBody: '{"op": "add"}', contentType: 'application/json-patch+json' }, 400, 'BadRequest');
    expect(await get(path)).toEqual(created);
  });

  it('an unsupported method on a collection is 405 MethodNotAllowed', async () => {
    await refused('PUT', pods, { body: podBody('x') }, 405, 'MethodNotAllowed');
    await refused('PATCH', configmaps, { body: { data: {} }, contentType: 'application/merge-patch+json' }, 405, 'MethodNotAllowed');
    await refused('POST', `${configmaps}/some-name`, { body: configMapBody('some-name') }, 405, 'MethodNotAllowed');
  });

  it('Accept of only application/vnd.kubernetes.protobuf is 406 NotAcceptable', async () => {
    const res = await plane.client.raw('GET', configmaps, { headers: { Accept: 'application/vnd.kubernetes.protobuf' } });
    expectStatus(res, 406, 'NotAcceptable');
    const name = uniqueName('cm');
    await refused('POST', configmaps, { body: configMapBody(name), headers: { Accept: 'application/vnd.kubernetes.protobuf' } }, 406, 'NotAcceptable');
    await expectAbsent(`${configmaps}/${name}`);
    // With a fallback it is served.
    const ok = await plane.client.raw('GET', configmaps, { headers: { Accept: 'application/vnd.kubernetes.protobuf, application/json' } });
    expect(ok.status).toBe(200);
  });
});

describe('no stack traces', () => {
  it('no error response carries a stack trace', async () => {
    const requests: [string, string, RequestOptions][] = [
      ['POST', configmaps, { rawBody: '{', contentType: 'application/json' }],
      ['POST', configmaps, { rawBody: 'a: [', contentType: 'application/yaml' }],
      ['POST', pods, { body: { metadata: { name: 'x' }, spec: { containers: 'nope' } } }],
      ['PATCH', `${configmaps}/missing`, { body: [{ op: 'remove', path: '/nothing/here' }], contentType: 'application/json-patch+json' }],
      ['GET', `${configmaps}/missing`, { query: { resourceVersion: 'not-a-number' } }],
      ['GET', configmaps, { query: { labelSelector: '!!!' } }],
      ['GET', configmaps, { query: { limit: 'many' } }],
      ['DELETE', configmaps, { rawBody: '{"propagationPolicy": "Sideways"}', contentType: 'application/json' }],
      ['GET', '/api/v1/namespaces/%ZZ/pods', {}],
    ];
    for (const [method, path, options] of requests) {
      const res = await plane.client.raw(method, path, options);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expectNoInternals(res);
      expect(res.text).not.toMatch(/\s+at [\w.<>]+ \(/);
    }
  });
});
