/**
 * Protobuf request bodies from the real kubectl: its typed commands (`kubectl create namespace|
 * configmap|secret|deployment|...`) send application/vnd.kubernetes.protobuf, which must be
 * stored as the same objects their JSON would give; errors print Kubernetes' messages. A
 * recording proxy checks that kubectl did send protobuf. Also raw bodies: unknown kind → 415,
 * malformed → 400.
 */
import { kubernetesProtobuf } from '../../apiserver/http/protobuf/testing';
import { useControlPlane } from '../harness/apiserver';
import { useKubectl } from '../harness/kubectl';
import { expectStatus, type Obj } from './helpers';
import { useRecordingProxy } from './recordingProxy';

const plane = useControlPlane();
const proxy = useRecordingProxy(() => plane.url);
const kubectl = useKubectl(() => proxy.get().url);

const protobuf = 'application/vnd.kubernetes.protobuf';

async function run(...args: string[]): Promise<string> {
  const res = await kubectl.get().run(args);
  if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${res.code}: ${res.stderr}`);
  return res.stdout;
}

const get = (path: string): Promise<Obj> => plane.client.get<Obj>(path);
const ns = '/api/v1/namespaces/default';

/** Asserts that kubectl POSTed to a collection path, always with a protobuf body. */
function expectSentAsProtobuf(collection: string): void {
  const posts = proxy.get().requests.filter((r) => r.method === 'POST' && r.url.split('?')[0] === collection);
  expect(posts.length).toBeGreaterThan(0);
  expect(new Set(posts.map((r) => r.contentType))).toEqual(new Set([protobuf]));
}

describe('kubectl create with protobuf bodies', () => {
  it('creates core objects: namespace, configmap, secret, serviceaccount', async () => {
    expect(await run('create', 'namespace', 'dev')).toBe('namespace/dev created\n');
    expect(await run('create', 'configmap', 'c', '--from-literal=a=b')).toBe('configmap/c created\n');
    expect(await run('create', 'secret', 'generic', 's', '--from-literal=k=v')).toBe('secret/s created\n');
    expect(await run('create', 'serviceaccount', 'sa')).toBe('serviceaccount/sa created\n');

    expectSentAsProtobuf('/api/v1/namespaces');
    for (const r of ['configmaps', 'secrets', 'serviceaccounts']) expectSentAsProtobuf(`${ns}/${r}`);

    expect((await get('/api/v1/namespaces/dev')).status?.phase).toBe('Active');
    expect((await get(`${ns}/configmaps/c`)).data).toEqual({ a: 'b' });
    const secret = await get(`${ns}/secrets/s`);
    expect(secret).toMatchObject({ type: 'Opaque', data: { k: Buffer.from('v').toString('base64') } });
    expect((await get(`${ns}/serviceaccounts/sa`)).metadata.name).toBe('sa');
  });

  it('creates workloads: deployment, service, job, cronjob', async () => {
    expect(await run('create', 'deployment', 'd', '--image=nginx', '--replicas=2', '--port=80')).toBe('deployment.apps/d created\n');
    expect(await run('create', 'service', 'clusterip', 'svc', '--tcp=80:8080')).toBe('service/svc created\n');
    expect(await run('create', 'job', 'j', '--image=busybox', '--', 'echo', 'hi')).toBe('job.batch/j created\n');
    expect(await run('create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/1 * * * *')).toBe('cronjob.batch/cj created\n');

    expectSentAsProtobuf('/apis/apps/v1/namespaces/default/deployments');
    expectSentAsProtobuf(`${ns}/services`);
    expectSentAsProtobuf('/apis/batch/v1/namespaces/default/jobs');
    expectSentAsProtobuf('/apis/batch/v1/namespaces/default/cronjobs');

    const deployment = await get('/apis/apps/v1/namespaces/default/deployments/d');
    expect(deployment.metadata.labels).toEqual({ app: 'd' });
    expect(deployment.spec).toMatchObject({
      replicas: 2,
      selector: { matchLabels: { app: 'd' } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }] }] } },
    });
    const service = await get(`${ns}/services/svc`);
    expect(service.spec).toMatchObject({ type: 'ClusterIP', selector: { app: 'svc' }, ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }] });
    const job = await get('/apis/batch/v1/namespaces/default/jobs/j');
    expect(job.spec).toMatchObject({ template: { spec: { restartPolicy: 'Never', containers: [{ name: 'j', image: 'busybox', command: ['echo', 'hi'] }] } } });
    const cronJob = await get('/apis/batch/v1/namespaces/default/cronjobs/cj');
    expect(cronJob.spec).toMatchObject({
      schedule: '*/1 * * * *',
      jobTemplate: { metadata: { name: 'cj' }, spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'cj', image: 'busybox' }] } } } },
    });
  });

  it('creates RBAC objects: role, rolebinding, clusterrole, clusterrolebinding', async () => {
    expect(await run('create', 'role', 'r', '--verb=get', '--resource=pods')).toBe('role.rbac.authorization.k8s.io/r created\n');
    expect(await run('create', 'rolebinding', 'rb', '--role=r', '--user=u')).toBe('rolebinding.rbac.authorization.k8s.io/rb created\n');
    expect(await run('create', 'clusterrole', 'cr', '--verb=get', '--resource=nodes')).toBe('clusterrole.rbac.authorization.k8s.io/cr created\n');
    expect(await run('create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--user=u')).toBe('clusterrolebinding.rbac.authorization.k8s.io/crb created\n');

    const rbac = '/apis/rbac.authorization.k8s.io/v1';
    for (const path of [`${rbac}/namespaces/default/roles`, `${rbac}/namespaces/default/rolebindings`, `${rbac}/clusterroles`, `${rbac}/clusterrolebindings`]) {
      expectSentAsProtobuf(path);
    }
    expect((await get(`${rbac}/namespaces/default/roles/r`)).rules).toEqual([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]);
    expect(await get(`${rbac}/namespaces/default/rolebindings/rb`)).toMatchObject({
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'u' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
    });
    expect((await get(`${rbac}/clusterroles/cr`)).rules).toEqual([{ verbs: ['get'], apiGroups: [''], resources: ['nodes'] }]);
    expect(await get(`${rbac}/clusterrolebindings/crb`)).toMatchObject({
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'u' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cr' },
    });
  });

  it('creates a priorityclass and a poddisruptionbudget, explicit zeros included', async () => {
    expect(await run('create', 'priorityclass', 'pc', '--value=10')).toBe('priorityclass.scheduling.k8s.io/pc created\n');
    expect(await run('create', 'priorityclass', 'zero', '--value=0')).toBe('priorityclass.scheduling.k8s.io/zero created\n');
    expect(await run('create', 'pdb', 'p', '--selector=app=x', '--min-available=1')).toBe('poddisruptionbudget.policy/p created\n');
    expect(await run('create', 'pdb', 'none', '--selector=app=x', '--min-available=0')).toBe('poddisruptionbudget.policy/none created\n');
    expectSentAsProtobuf('/apis/scheduling.k8s.io/v1/priorityclasses');
    expectSentAsProtobuf('/apis/policy/v1/namespaces/default/poddisruptionbudgets');

    expect(await get('/apis/scheduling.k8s.io/v1/priorityclasses/pc')).toMatchObject({ value: 10, preemptionPolicy: 'PreemptLowerPriority' });
    expect((await get('/apis/scheduling.k8s.io/v1/priorityclasses/zero')).value).toBe(0);
    expect((await get('/apis/policy/v1/namespaces/default/poddisruptionbudgets/p')).spec).toEqual({ minAvailable: 1, selector: { matchLabels: { app: 'x' } } });
    expect((await get('/apis/policy/v1/namespaces/default/poddisruptionbudgets/none')).spec).toMatchObject({ minAvailable: 0 });
  });

  it('run and expose (sent as JSON) create a pod and a service', async () => {
    expect(await run('run', 'p', '--image=nginx')).toBe('pod/p created\n');
    expect(await run('expose', 'deployment', 'd', '--port=80')).toBe('service/d exposed\n');
    expect((await get(`${ns}/pods/p`)).spec).toMatchObject({ containers: [{ name: 'p', image: 'nginx' }] });
    expect((await get(`${ns}/services/d`)).spec).toMatchObject({ selector: { app: 'd' }, ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] });
  });

  it('create job --from=cronjob sends the whole pod template, and it is stored unchanged', async () => {
    const template = {
      metadata: { labels: { app: 'rich' } },
      spec: {
        restartPolicy: 'OnFailure',
        automountServiceAccountToken: false,
        terminationGracePeriodSeconds: 0,
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        securityContext: { runAsUser: 1000, runAsNonRoot: true, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoExecute', tolerationSeconds: 60 }],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }] }],
            },
          },
        },
        volumes: [
          { name: 'config', configMap: { name: 'c', defaultMode: 0o440, items: [{ key: 'a', path: 'a.txt' }] } },
          { name: 'scratch', emptyDir: { sizeLimit: '1Gi' } },
          { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } },
        ],
        containers: [
          {
            name: 'work',
            image: 'busybox:1.36',
            command: ['sh', '-c'],
            args: ['echo $(MODE)'],
            env: [
              { name: 'MODE', value: 'batch' },
              { name: 'SETTING', valueFrom: { configMapKeyRef: { name: 'c', key: 'a', optional: false } } },
              { name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
            ],
            envFrom: [{ prefix: 'S_', secretRef: { name: 's' } }],
            resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m', memory: '64Mi' } },
            volumeMounts: [{ name: 'config', mountPath: '/etc/config', readOnly: true }],
            livenessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 3, periodSeconds: 10 },
            readinessProbe: { httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, failureThreshold: 2 },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          },
        ],
      },
    };
    const cronJob = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'rich' }, spec: { schedule: '0 0 * * *', jobTemplate: { spec: { backoffLimit: 0, template } } } };
    await plane.client.create('/apis/batch/v1/namespaces/default/cronjobs', cronJob);
    const stored = await get('/apis/batch/v1/namespaces/default/cronjobs/rich');

    expect(await run('create', 'job', 'rich-now', '--from=cronjob/rich')).toBe('job.batch/rich-now created\n');
    expectSentAsProtobuf('/apis/batch/v1/namespaces/default/jobs');
    const job = await get('/apis/batch/v1/namespaces/default/jobs/rich-now');
    const storedJobSpec = (stored.spec as { jobTemplate: { spec: { template: { spec: unknown }; backoffLimit: number } } }).jobTemplate.spec;
    const jobSpec = job.spec as { template: { spec: unknown }; backoffLimit: number };
    // backoffLimit 0 is a pointer's explicit zero: kept.
    expect(jobSpec.backoffLimit).toBe(0);
    expect(jobSpec.template.spec).toEqual(storedJobSpec.template.spec);
    expect(job.metadata).toMatchObject({ annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' } });
    expect((job.metadata as { ownerReferences?: unknown[] }).ownerReferences).toEqual([
      { apiVersion: 'batch/v1', kind: 'CronJob', name: 'rich', uid: stored.metadata.uid, controller: true },
    ]);
  });

  it("prints Kubernetes' errors for objects sent as protobuf", async () => {
    const invalid = await kubectl.get().run(['create', 'namespace', 'Bad_Name']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain(
      'The Namespace "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\'',
    );
    const invalidDeployment = await kubectl.get().run(['create', 'deployment', 'Web', '--image=nginx']);
    expect(invalidDeployment.code).toBe(1);
    expect(invalidDeployment.stderr).toContain('Deployment.apps "Web" is invalid: metadata.name: Invalid value: "Web"');
    const exists = await kubectl.get().run(['create', 'configmap', 'c', '--from-literal=a=b']);
    expect(exists.code).toBe(1);
    expect(exists.stderr).toContain('configmaps "c" already exists');
  });
});

describe('protobuf bodies over HTTP', () => {
  const post = (path: string, body: Buffer) => plane.client.raw('POST', path, { rawBody: body, contentType: protobuf });

  it('creates from a body built as Kubernetes clients build it', async () => {
    const res = await post(`${ns}/configmaps`, kubernetesProtobuf('v1', 'ConfigMap', [[1, [[1, 'raw']]], [2, [[1, 'k'], [2, 'v']]]]));
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.json).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'raw', namespace: 'default' }, data: { k: 'v' } });
  });

  it('answers 415 for a kind whose protobuf encoding is not known', async () => {
    const res = await post(`${ns}/configmaps`, kubernetesProtobuf('v1', 'Endpoints', [[1, [[1, 'e']]]]));
    const body = expectStatus(res, 415, 'UnsupportedMediaType');
    expect(body.message).toContain('the protobuf encoding of v1 Endpoints is not supported');
  });

  it('answers 400 for a malformed body', async () => {
    expect(expectStatus(await post(`${ns}/configmaps`, Buffer.from('{"kind":"ConfigMap"}')), 400, 'BadRequest').message).toBe(
      'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    );
    const body = kubernetesProtobuf('v1', 'ConfigMap', [[1, [[1, 'cut']]]]);
    expect(expectStatus(await post(`${ns}/configmaps`, body.subarray(0, body.length - 6)), 400, 'BadRequest').message).toMatch(/^the protobuf body is malformed/);
  });

  it('checks the decoded kind against the path as for JSON', async () => {
    const res = await post(`${ns}/configmaps`, kubernetesProtobuf('v1', 'Secret', [[1, [[1, 'wrong']]]]));
    expect(expectStatus(res, 400, 'BadRequest').message).toBe('the kind in the data (Secret) does not match the expected kind (ConfigMap)');
    expect((await plane.client.raw('GET', `${ns}/configmaps/wrong`)).status).toBe(404);
  });
});
