/**
 * Subresources: status (what create, update and /status may change), scale (autoscaling/v1 Scale
 * for deployments, statefulsets and replicasets), pods/binding, namespaces/finalize, and the
 * answers for unknown subresources (404) and unsupported verbs on known ones (405).
 */
import { request as httpRequest } from 'node:http';
import type { RawResponse } from '../../client/restClient';
import { useControlPlane } from '../harness/apiserver';
import { bindingBody, podBody } from './crudHelpers';
import { resourcePath, uniqueName, type Meta, type Obj, type StatusBody } from './helpers';

const plane = useControlPlane();

interface Scale {
  kind: string;
  apiVersion: string;
  metadata: Meta;
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

const ns = 'default';
const revision = () => plane.server.storage.currentRevision();

const workloadPath = (resource: string, name = '') => resourcePath('/apis/apps/v1', resource)(name);
const deployPath = resourcePath('/apis/apps/v1', 'deployments');
const podPath = resourcePath('/api/v1', 'pods');

function workload(kind: 'Deployment' | 'StatefulSet' | 'ReplicaSet', name: string, app: string, replicas = 2): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, labels: { app } },
    spec: {
      replicas,
      ...(kind === 'StatefulSet' ? { serviceName: name } : {}),
      selector: { matchLabels: { app } },
      template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  };
}

async function createDeployment(name: string, app = 'web', extra: Record<string, unknown> = {}): Promise<Obj> {
  return plane.client.create<Obj>(deployPath(), { ...workload('Deployment', name, app), ...extra });
}

async function createPod(name: string, extra: Record<string, unknown> = {}, spec: Record<string, unknown> = {}): Promise<Obj> {
  return plane.client.create<Obj>(podPath(), podBody(name, extra, spec));
}

/** A request with exactly these headers: fetch would add a Content-Type to a string body. */
function bareRequest(method: string, path: string, body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const url = new URL(path, plane.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method, headers: { Accept: 'application/json', 'Content-Length': String(Buffer.byteLength(body)), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
          resolve({ status: res.statusCode ?? 0, headers: h, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const mergePatch = (path: string, body: unknown) => plane.client.raw('PATCH', path, { body, contentType: 'application/merge-patch+json' });

describe('status on create', () => {
  it('a Deployment starts with an empty status, whatever the client sent', async () => {
    const name = uniqueName('d-create');
    const created = await createDeployment(name, 'web', { status: { replicas: 9, readyReplicas: 9, availableReplicas: 9, observedGeneration: 5 } });
    expect(created.status ?? {}).toEqual({});
    const got = await plane.client.get<Obj>(deployPath(name));
    expect(got.status ?? {}).toEqual({});
  });

  it('a Pod starts Pending with its QoS class, whatever the client sent', async () => {
    const name = uniqueName('p-create');
    const created = await createPod(name, { status: { phase: 'Running', podIP: '10.0.0.9', hostIP: '10.1.0.1' } });
    expect(created.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });

    const guaranteed = await createPod(uniqueName('p-qos'), {}, {
      containers: [{ name: 'c', image: 'busybox', resources: { limits: { cpu: '100m', memory: '64Mi' } } }],
    });
    expect(guaranteed.status?.phase).toBe('Pending');
    expect(guaranteed.status?.qosClass).toBe('Guaranteed');

    const burstable = await createPod(uniqueName('p-qos'), {}, {
      containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m' } } }],
    });
    expect(burstable.status?.qosClass).toBe('Burstable');
  });

  it('a Node keeps the status it is created with', async () => {
    const name = uniqueName('node');
    const status = {
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready', lastHeartbeatTime: '2025-01-01T00:00:00Z', lastTransitionTime: '2025-01-01T00:00:00Z' }],
    };
    const created = await plane.client.create<Obj>('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name }, status });
    expect(created.status).toMatchObject(status);
    const got = await plane.client.get<Obj>(`/api/v1/nodes/${name}`);
    expect(got.status).toMatchObject(status);
  });
});

describe('status subresource', () => {
  async function deploymentWithStatus(name: string): Promise<Obj> {
    await createDeployment(name);
    const current = await plane.client.get<Obj>(deployPath(name));
    return plane.client.update<Obj>(`${deployPath(name)}/status`, {
      ...current,
      status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1 },
    });
  }

  it('an update of the main resource ignores status changes', async () => {
    const name = uniqueName('d-main');
    const withStatus = await deploymentWithStatus(name);
    expect(withStatus.status?.replicas).toBe(2);

    const put = await plane.client.update<Obj>(deployPath(name), {
      ...withStatus,
      spec: { ...withStatus.spec, replicas: 3 },
      status: { replicas: 7, readyReplicas: 7 },
    });
    expect(put.spec?.replicas).toBe(3);
    expect(put.metadata.generation).toBe(2);
    expect(put.status).toEqual(withStatus.status);
  });

  it('a patch of the main resource ignores status changes, and a status-only patch writes nothing', async () => {
    const name = uniqueName('d-patch');
    const withStatus = await deploymentWithStatus(name);

    const patched = await plane.client.patch<Obj>(deployPath(name), { metadata: { labels: { extra: 'yes' } }, status: { replicas: 7 } });
    expect(patched.metadata.labels).toEqual({ app: 'web', extra: 'yes' });
    expect(patched.status).toEqual(withStatus.status);
    expect(patched.metadata.generation).toBe(1);

    const rev = await revision();
    const res = await mergePatch(deployPath(name), { status: { replicas: 8, readyReplicas: 8 } });
    expect(res.status).toBe(200);
    expect((res.json as Obj).status).toEqual(withStatus.status);
    expect((res.json as Obj).metadata.resourceVersion).toBe(patched.metadata.resourceVersion);
    expect(await revision()).toBe(rev);
  });

  it('PUT /status changes only status: spec and labels in the body are ignored, generation stays', async () => {
    const name = uniqueName('d-status-put');
    const created = await createDeployment(name);
    const updated = await plane.client.update<Obj>(`${deployPath(name)}/status`, {
      ...created,
      metadata: { ...created.metadata, labels: { app: 'web', sneaky: 'yes' } },
      spec: { ...created.spec, replicas: 10 },
      status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 },
    });
    expect(updated.status).toMatchObject({ observedGeneration: 1, replicas: 2, readyReplicas: 2, availableReplicas: 2 });
    expect(updated.spec?.replicas).toBe(2);
    expect(updated.metadata.labels).toEqual({ app: 'web' });
    expect(updated.metadata.generation).toBe(1);
    const got = await plane.client.get<Obj>(deployPath(name));
    expect(got.spec?.replicas).toBe(2);
    expect(got.metadata.labels).toEqual({ app: 'web' });
    expect(got.status?.readyReplicas).toBe(2);
  });

  it('PATCH /status changes only status', async () => {
    const name = uniqueName('d-status-patch');
    await createDeployment(name);
    const res = await mergePatch(`${deployPath(name)}/status`, {
      metadata: { labels: { sneaky: 'yes' } },
      spec: { replicas: 10 },
      status: { replicas: 2, updatedReplicas: 2 },
    });
    expect(res.status).toBe(200);
    const patched = res.json as Obj;
    expect(patched.status).toMatchObject({ replicas: 2, updatedReplicas: 2 });
    expect(patched.spec?.replicas).toBe(2);
    expect(patched.metadata.labels).toEqual({ app: 'web' });
    expect(patched.metadata.generation).toBe(1);
  });

  it('PUT /status with a stale resourceVersion is 409 Conflict and writes nothing', async () => {
    const name = uniqueName('d-status-stale');
    const created = await createDeployment(name);
    const current = await plane.client.patch<Obj>(deployPath(name), { metadata: { annotations: { touched: 'yes' } } });
    const rev = await revision();
    const res = await plane.client.raw('PUT', `${deployPath(name)}/status`, { body: { ...created, status: { replicas: 1 } } });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });
    expect(await revision()).toBe(rev);
    expect((await plane.client.get<Obj>(deployPath(name))).metadata.resourceVersion).toBe(current.metadata.resourceVersion);
  });

  it('GET /status returns the whole object', async () => {
    const name = uniqueName('d-status-get');
    const created = await createDeployment(name);
    const got = await plane.client.get<Obj>(`${deployPath(name)}/status`);
    expect(got.kind).toBe('Deployment');
    expect(got.apiVersion).toBe('apps/v1');
    expect(got.metadata.name).toBe(name);
    expect(got.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(got.spec?.replicas).toBe(2);

    const pod = uniqueName('p-status-get');
    await createPod(pod);
    const podStatus = await plane.client.get<Obj>(`${podPath(pod)}/status`);
    expect(podStatus.kind).toBe('Pod');
    expect(podStatus.status?.phase).toBe('Pending');
    expect(await plane.client.raw('GET', `${podPath(uniqueName('nope'))}/status`).then((r) => r.status)).toBe(404);
  });
});

describe('scale subresource', () => {
  it('GET returns an autoscaling/v1 Scale with the selector in string form', async () => {
    const name = uniqueName('d-scale');
    const created = await createDeployment(name);
    const scale = await plane.client.get<Scale>(`${deployPath(name)}/scale`);
    expect(scale.kind).toBe('Scale');
    expect(scale.apiVersion).toBe('autoscaling/v1');
    expect(scale.metadata).toMatchObject({ name, namespace: ns, uid: created.metadata.uid, resourceVersion: created.metadata.resourceVersion });
    expect(scale.spec).toEqual({ replicas: 2 });
    expect(scale.status).toEqual({ replicas: 0, selector: 'app=web' });

    // status.replicas is the workload's observed replica count.
    const current = await plane.client.get<Obj>(deployPath(name));
    await plane.client.update(`${deployPath(name)}/status`, { ...current, status: { replicas: 2, updatedReplicas: 2 } });
    expect((await plane.client.get<Scale>(`${deployPath(name)}/scale`)).status.replicas).toBe(2);
  });

  it('PUT of a Scale without a Content-Type header (as kubectl sends it) sets spec.replicas and bumps generation', async () => {
    const name = uniqueName('d-scale-put');
    await createDeployment(name);
    const scale = await plane.client.get<Scale>(`${deployPath(name)}/scale`);
    const res = await bareRequest('PUT', `${deployPath(name)}/scale`, JSON.stringify({ ...scale, spec: { replicas: 5 } }));
    expect(res.status).toBe(200);
    const answer = res.json as Scale;
    expect(answer.kind).toBe('Scale');
    expect(answer.spec.replicas).toBe(5);
    expect(Number(answer.metadata.resourceVersion)).toBeGreaterThan(Number(scale.metadata.resourceVersion));
    const got = await plane.client.get<Obj>(deployPath(name));
    expect(got.spec?.replicas).toBe(5);
    expect(got.metadata.generation).toBe(2);
    expect(got.metadata.resourceVersion).toBe(answer.metadata.resourceVersion);
  });

  it('a merge PATCH {"spec":{"replicas":N}} sets spec.replicas and bumps generation; the same value writes nothing', async () => {
    const name = uniqueName('d-scale-patch');
    await createDeployment(name);
    const res = await mergePatch(`${deployPath(name)}/scale`, { spec: { replicas: 4 } });
    expect(res.status).toBe(200);
    expect((res.json as Scale).spec.replicas).toBe(4);
    const got = await plane.client.get<Obj>(deployPath(name));
    expect(got.spec?.replicas).toBe(4);
    expect(got.metadata.generation).toBe(2);

    const rev = await revision();
    const again = await mergePatch(`${deployPath(name)}/scale`, { spec: { replicas: 4 } });
    expect(again.status).toBe(200);
    expect(await revision()).toBe(rev);
    expect((await plane.client.get<Obj>(deployPath(name))).metadata.generation).toBe(2);

    const jsonPatch = await plane.client.raw('PATCH', `${deployPath(name)}/scale`, {
      body: [{ op: 'replace', path: '/spec/replicas', value: 0 }],
      contentType: 'application/json-patch+json',
    });
    expect(jsonPatch.status).toBe(200);
    expect((await plane.client.get<Obj>(deployPath(name))).spec?.replicas).toBe(0);
  });

  it('a Scale with a stale metadata.resourceVersion is 409 Conflict and writes nothing', async () => {
    const name = uniqueName('d-scale-stale');
    await createDeployment(name);
    const stale = await plane.client.get<Scale>(`${deployPath(name)}/scale`);
    await mergePatch(`${deployPath(name)}/scale`, { spec: { replicas: 3 } });
    const rev = await revision();
    const res = await plane.client.raw('PUT', `${deployPath(name)}/scale`, { body: { ...stale, spec: { replicas: 6 } } });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Conflict', code: 409 });
    expect((res.json as StatusBody).message).toContain('the object has been modified');
    expect(await revision()).toBe(rev);
    expect((await plane.client.get<Obj>(deployPath(name))).spec?.replicas).toBe(3);
  });

  it('replicas -1 is 422 Invalid and writes nothing', async () => {
    const name = uniqueName('d-scale-neg');
    await createDeployment(name);
    const scale = await plane.client.get<Scale>(`${deployPath(name)}/scale`);
    const rev = await revision();
    for (const res of [
      await plane.client.raw('PUT', `${deployPath(name)}/scale`, { body: { ...scale, spec: { replicas: -1 } } }),
      await mergePatch(`${deployPath(name)}/scale`, { spec: { replicas: -1 } }),
    ]) {
      expect(res.status).toBe(422);
      const st = res.json as StatusBody;
      expect(st).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422 });
      expect(st.message).toBe(`Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`);
      expect(st.details?.causes).toEqual([expect.objectContaining({ field: 'spec.replicas', reason: 'FieldValueInvalid' })]);
    }
    expect(await revision()).toBe(rev);
    expect((await plane.client.get<Obj>(deployPath(name))).spec?.replicas).toBe(2);
  });

  it.each([
    ['statefulsets', 'StatefulSet'],
    ['replicasets', 'ReplicaSet'],
  ] as const)('%s have a scale subresource too', async (resource, kind) => {
    const name = uniqueName(resource.slice(0, 3));
    const app = `app-${name}`;
    await plane.client.create(workloadPath(resource), workload(kind, name, app, 1));
    const scale = await plane.client.get<Scale>(`${workloadPath(resource, name)}/scale`);
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name, namespace: ns }, spec: { replicas: 1 } });
    expect(scale.status.selector).toBe(`app=${app}`);

    const put = await bareRequest('PUT', `${workloadPath(resource, name)}/scale`, JSON.stringify({ ...scale, spec: { replicas: 3 } }));
    expect(put.status).toBe(200);
    expect((put.json as Scale).spec.replicas).toBe(3);
    const patched = await mergePatch(`${workloadPath(resource, name)}/scale`, { spec: { replicas: 4 } });
    expect(patched.status).toBe(200);
    const got = await plane.client.get<Obj>(workloadPath(resource, name));
    expect(got.spec?.replicas).toBe(4);
    expect(got.metadata.generation).toBe(3);
  });

  it('kinds without a scale subresource answer 404', async () => {
    const pod = uniqueName('p-noscale');
    await createPod(pod);
    expect((await plane.client.raw('GET', `${podPath(pod)}/scale`)).status).toBe(404);
    expect((await plane.client.raw('GET', `${deployPath(uniqueName('missing'))}/scale`)).status).toBe(404);
  });
});

describe('binding subresource', () => {
  it('POST binding assigns the pod to the node: 201 Success, spec.nodeName, PodScheduled=True', async () => {
    const name = uniqueName('bind');
    await createPod(name);
    const res = await plane.client.raw('POST', `${podPath(name)}/binding`, { body: bindingBody(name, 'n1') });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Success', code: 201 });
    const pod = await plane.client.get<Obj>(podPath(name));
    expect(pod.spec?.nodeName).toBe('n1');
    const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    expect(scheduled).toMatchObject({ type: 'PodScheduled', status: 'True' });
    expect(scheduled?.lastTransitionTime).toBeDefined();
    expect(pod.status?.phase).toBe('Pending');
  });

  it('binding a pod that is already bound is 409 Conflict and writes nothing', async () => {
    const name = uniqueName('bind-twice');
    await createPod(name);
    expect((await plane.client.raw('POST', `${podPath(name)}/binding`, { body: bindingBody(name, 'n1') })).status).toBe(201);
    const rev = await revision();
    const res = await plane.client.raw('POST', `${podPath(name)}/binding`, { body: bindingBody(name, 'n2') });
    expect(res.status).toBe(409);
    const st = res.json as StatusBody;
    expect(st).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });
    expect(st.message).toContain(`pod ${name} is already assigned to node "n1"`);
    expect(await revision()).toBe(rev);
    expect((await plane.client.get<Obj>(podPath(name))).spec?.nodeName).toBe('n1');
  });

  it('binding a missing pod is 404', async () => {
    const name = uniqueName('bind-missing');
    const rev = await revision();
    const res = await plane.client.raw('POST', `${podPath(name)}/binding`, { body: bindingBody(name) });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404, message: `pods "${name}" not found` });
    expect(await revision()).toBe(rev);
  });

  it('a Binding whose name differs from the URL is 400 BadRequest', async () => {
    const name = uniqueName('bind-name');
    const created = await createPod(name);
    const rev = await revision();
    const res = await plane.client.raw('POST', `${podPath(name)}/binding`, { body: bindingBody('someone-else') });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
    expect((res.json as StatusBody).message).toContain('name in URL does not match name in Binding object');
    expect(await revision()).toBe(rev);
    const pod = await plane.client.get<Obj>(podPath(name));
    expect(pod.spec?.nodeName).toBeUndefined();
    expect(pod.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('a Binding without a target name is 422 and a dry-run binding writes nothing', async () => {
    const name = uniqueName('bind-bad');
    await createPod(name);
    const rev = await revision();
    const res = await plane.client.raw('POST', `${podPath(name)}/binding`, { body: { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: {} } });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422 });
    const dry = await plane.client.raw('POST', `${podPath(name)}/binding`, { body: bindingBody(name), query: { dryRun: 'All' } });
    expect(dry.status).toBe(201);
    expect(await revision()).toBe(rev);
    expect((await plane.client.get<Obj>(podPath(name))).spec?.nodeName).toBeUndefined();
  });

  it('a Binding to a node name that is no DNS subdomain, or with an invalid annotation, is 422 and writes nothing', async () => {
    const name = uniqueName('bind-badnode');
    await createPod(name);
    const rev = await revision();
    const badNode = await plane.client.raw('POST', `${podPath(name)}/binding`, { body: bindingBody(name, 'Not_A_Node') });
    expect(badNode.status).toBe(422);
    expect(badNode.json).toMatchObject({ reason: 'Invalid', details: { kind: 'Binding', causes: [{ field: 'target.name' }] } });
    const badAnnotation = await plane.client.raw('POST', `${podPath(name)}/binding`, {
      body: { ...bindingBody(name, 'n1'), metadata: { name, annotations: { 'bad key!': 'x' } } },
    });
    expect(badAnnotation.status).toBe(422);
    expect(JSON.stringify(badAnnotation.json)).toContain('metadata.annotations');
    expect(await revision()).toBe(rev);
    const good = await plane.client.raw('POST', `${podPath(name)}/binding`, { body: { ...bindingBody(name, 'n1'), metadata: { name, annotations: { 'example.com/why': 'test' } } } });
    expect(good.status).toBe(201);
    const pod = await plane.client.get<Obj>(podPath(name));
    expect(pod.spec?.nodeName).toBe('n1');
    expect(pod.metadata.annotations?.['example.com/why']).toBe('test');
  });
});

describe('namespaces/finalize', () => {
  it('PUT finalize replaces spec.finalizers, which an update of the namespace itself cannot change', async () => {
    const name = uniqueName('ns-fin');
    const created = await plane.client.create<Obj>('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    expect(created.spec?.finalizers).toEqual(['kubernetes']);

    const put = await plane.client.update<Obj>(`/api/v1/namespaces/${name}`, { ...created, spec: { finalizers: [] } });
    expect(put.spec?.finalizers).toEqual(['kubernetes']);

    const fin = await plane.client.update<Obj>(`/api/v1/namespaces/${name}/finalize`, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
      spec: { finalizers: ['example.com/cleanup'] },
    });
    expect(fin.kind).toBe('Namespace');
    expect(fin.spec?.finalizers).toEqual(['example.com/cleanup']);
    expect(fin.status?.phase).toBe('Active');
    expect((await plane.client.get<Obj>(`/api/v1/namespaces/${name}`)).spec?.finalizers).toEqual(['example.com/cleanup']);
    expect((await plane.client.raw('PUT', `/api/v1/namespaces/${uniqueName('ns-missing')}/finalize`, { body: { apiVersion: 'v1', kind: 'Namespace', spec: { finalizers: [] } } })).status).toBe(404);
  });
});

describe('unknown subresources and verbs', () => {
  it('an unknown subresource is 404 NotFound', async () => {
    const pod = uniqueName('p-unknown');
    await createPod(pod);
    const deploy = uniqueName('d-unknown');
    await createDeployment(deploy);
    const cm = uniqueName('cm-unknown');
    await plane.client.create(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: cm } });
    for (const path of [`${podPath(pod)}/frobnicate`, `${deployPath(deploy)}/frobnicate`, `/api/v1/namespaces/${ns}/configmaps/${cm}/status`, `${deployPath(deploy)}/binding`]) {
      const res = await plane.client.raw('GET', path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.json).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
    }
  });

  it('a verb a subresource does not support is 405 MethodNotAllowed', async () => {
    const pod = uniqueName('p-verb');
    await createPod(pod);
    const deploy = uniqueName('d-verb');
    await createDeployment(deploy);
    const rev = await revision();
    const cases: [string, string][] = [
      ['DELETE', `${deployPath(deploy)}/status`],
      ['POST', `${deployPath(deploy)}/status`],
      ['DELETE', `${podPath(pod)}/status`],
      ['DELETE', `${deployPath(deploy)}/scale`],
      ['POST', `${deployPath(deploy)}/scale`],
      ['GET', `${podPath(pod)}/binding`],
      ['PUT', `${podPath(pod)}/binding`],
      ['GET', `/api/v1/namespaces/${ns}/finalize`],
    ];
    for (const [method, path] of cases) {
      const res = await plane.client.raw(method, path, method === 'GET' || method === 'DELETE' ? {} : { body: {} });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 405 });
      expect(res.json).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'MethodNotAllowed', code: 405 });
    }
    expect(await revision()).toBe(rev);
    expect(await plane.client.raw('GET', deployPath(deploy)).then((r) => r.status)).toBe(200);
  });
});
