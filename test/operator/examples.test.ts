/**
 * The CustomResourceDefinition examples of the Kubernetes documentation, driven with the real
 * kubectl as the documentation does, checking what each example is there to show:
 *   - "Extend the Kubernetes API with CustomResourceDefinitions" (tasks/extend-kubernetes/
 *     custom-resources): the CronTab CRD in its successive versions — served and listed, short
 *     name, pruning of unknown fields and x-kubernetes-preserve-unknown-fields, OpenAPI validation
 *     (cronSpec pattern, replicas bounds), validation rules, defaulting (and nullable), additional
 *     printer columns (with priority), the status and scale subresources, categories, deletion;
 *   - "Custom Resources" (concepts): the Shirt CRD's selectableFields with --field-selector
 *     (manifests in test/fixtures/manifests/k8s-website/customresourcedefinition/).
 * The CronTab CRDs live only inline in the documentation's text: they are rebuilt here from one
 * base, each variant adding what its section adds.
 */
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startEnvironment, type TestEnvironment } from '../../controllers/runtime/envtest';
import { eventually } from '../client/helpers';
import { createKubectl, type Kubectl, type KubectlResult } from '../harness/kubectl';
import { repoRoot } from './operatorHarness';

jest.setTimeout(60_000);

let env: TestEnvironment;
let kubectl: Kubectl;
beforeAll(async () => {
  env = await startEnvironment();
  kubectl = await createKubectl(env.url);
}, 60_000);
afterAll(async () => {
  await kubectl?.dispose();
  await env?.stop();
}, 60_000);

const crdName = 'crontabs.stable.example.com';
const cronSpecPattern = '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$';

interface CronTabVariant {
  /** Replaces spec's properties (the base: cronSpec and image strings, replicas integer). */
  readonly specProperties?: Record<string, object>;
  readonly specExtras?: Record<string, unknown>;
  /** More top-level properties besides spec. */
  readonly properties?: Record<string, object>;
  readonly version?: Record<string, unknown>;
  readonly categories?: readonly string[];
}

/** The documentation's CronTab CRD, with a section's additions. */
function cronTabCrd(v: CronTabVariant = {}): object {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crdName },
    spec: {
      group: 'stable.example.com',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', properties: v.specProperties ?? { cronSpec: { type: 'string' }, image: { type: 'string' }, replicas: { type: 'integer' } }, ...v.specExtras },
                ...v.properties,
              },
            },
          },
          ...v.version,
        },
      ],
      scope: 'Namespaced',
      names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'], ...(v.categories ? { categories: v.categories } : {}) },
    },
  };
}

/** The documentation's my-crontab.yaml, with the given spec. */
const cronTab = (spec: Record<string, unknown>) => ({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'my-new-cron-object' }, spec });
const myCronTab = cronTab({ cronSpec: '* * * * */5', image: 'my-awesome-cron-image' });

const run = (args: readonly string[], stdin?: unknown): Promise<KubectlResult> => kubectl.run(args, stdin === undefined ? {} : { stdin: typeof stdin === 'string' ? stdin : stringify(stdin) });

async function ok(args: readonly string[], stdin?: unknown): Promise<string> {
  const r = await run(args, stdin);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** `kubectl apply -f resourcedefinition.yaml` (replacing any earlier CronTab CRD), then waits until CronTabs are served. */
async function installCronTab(crd: object): Promise<void> {
  await ok(['delete', 'crd', crdName, '--ignore-not-found']);
  await ok(['apply', '-f', '-'], crd);
  await eventually(
    'crontabs served',
    async () => ((await env.client.raw('GET', '/apis/stable.example.com/v1/namespaces/default/crontabs')).status === 200 ? true : undefined),
    10_000,
  );
}

/** The rows of a kubectl table, split into columns. */
const rows = (table: string): string[][] => table.trim().split('\n').map((line) => line.trim().split(/\s{2,}/));

describe('the CronTab examples', () => {
  it('create a CRD, create custom objects, list them by any name, delete the CRD', async () => {
    await installCronTab(cronTabCrd());
    expect(await ok(['apply', '-f', '-'], myCronTab)).toBe('crontab.stable.example.com/my-new-cron-object created\n');
    const table = rows(await ok(['get', 'crontab']));
    expect(table[0]).toEqual(['NAME', 'AGE']);
    expect(table[1]![0]).toBe('my-new-cron-object');
    expect(table[1]![1]).toMatch(/^\d+s$/);
    // Singular, plural and short names; the custom fields are kept.
    for (const name of ['crontab', 'crontabs', 'ct', 'CronTab']) expect(await ok(['get', name, '-o', 'name'])).toBe('crontab.stable.example.com/my-new-cron-object\n');
    const list = JSON.parse(await ok(['get', 'ct', '-o', 'json'])) as { items: { spec: unknown; metadata: { annotations?: Record<string, string> } }[] };
    expect(list.items[0]!.spec).toEqual({ cronSpec: '* * * * */5', image: 'my-awesome-cron-image' });
    expect(list.items[0]!.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain('my-awesome-cron-image');

    // Deleting the CRD deletes the objects and the API; created again, it starts empty.
    await ok(['delete', 'crd', crdName]);
    const gone = await run(['get', 'crontabs']);
    expect(gone.code).not.toBe(0);
    // kubectl's message depends on whether its discovery cache still lists crontabs.
    expect(gone.stderr).toMatch(/the server could not find the requested resource|the server doesn't have a resource type "crontabs"/);
    await installCronTab(cronTabCrd());
    expect((await run(['get', 'crontabs'])).stderr).toContain('No resources found in default namespace.');
  });

  it('field pruning: unknown fields are dropped; x-kubernetes-preserve-unknown-fields keeps a subtree, pruned again below specified properties', async () => {
    await installCronTab(
      cronTabCrd({
        properties: {
          json: { 'x-kubernetes-preserve-unknown-fields': true, type: 'object', properties: { spec: { type: 'object', properties: { foo: { type: 'string' }, bar: { type: 'string' } } } } },
        },
      }),
    );
    const created = JSON.parse(await ok(['create', '--validate=false', '-f', '-', '-o', 'json'], cronTab({ cronSpec: '* * * * */5', image: 'my-awesome-cron-image', someRandomField: 42 }))) as Record<string, unknown>;
    expect(created['spec']).toEqual({ cronSpec: '* * * * */5', image: 'my-awesome-cron-image' });

    const withJson = { ...cronTab({ image: 'x' }), metadata: { name: 'with-json' }, json: { spec: { foo: 'abc', bar: 'def', something: 'x' }, status: { something: 'x' } } };
    const stored = JSON.parse(await ok(['create', '--validate=false', '-f', '-', '-o', 'json'], withJson)) as Record<string, unknown>;
    expect(stored['json']).toEqual({ spec: { foo: 'abc', bar: 'def' }, status: { something: 'x' } });
  });

  it('validation: a cronSpec not matching the pattern and replicas above the maximum are refused, valid values accepted', async () => {
    await installCronTab(
      cronTabCrd({ specProperties: { cronSpec: { type: 'string', pattern: cronSpecPattern }, image: { type: 'string' }, replicas: { type: 'integer', minimum: 1, maximum: 10 } } }),
    );
    const refused = await run(['apply', '-f', '-'], cronTab({ cronSpec: '* * * *', image: 'my-awesome-cron-image', replicas: 15 }));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('The CronTab "my-new-cron-object" is invalid');
    expect(refused.stderr).toContain(`spec.cronSpec in body should match '${cronSpecPattern}'`);
    expect(refused.stderr).toContain('spec.replicas in body should be less than or equal to 10');
    expect((await run(['get', 'crontabs'])).stderr).toContain('No resources found');
    expect(await ok(['apply', '-f', '-'], cronTab({ cronSpec: '* * * * */5', image: 'my-awesome-cron-image', replicas: 5 }))).toBe('crontab.stable.example.com/my-new-cron-object created\n');
  });

  it('validation rules: x-kubernetes-validations messages', async () => {
    await installCronTab(
      cronTabCrd({
        specProperties: { minReplicas: { type: 'integer' }, replicas: { type: 'integer' }, maxReplicas: { type: 'integer' } },
        specExtras: {
          'x-kubernetes-validations': [
            { rule: 'self.minReplicas <= self.replicas', message: 'replicas should be greater than or equal to minReplicas.' },
            { rule: 'self.replicas <= self.maxReplicas', message: 'replicas should be smaller than or equal to maxReplicas.' },
          ],
          required: ['minReplicas', 'replicas', 'maxReplicas'],
        },
      }),
    );
    const refused = await run(['apply', '-f', '-'], cronTab({ minReplicas: 0, replicas: 20, maxReplicas: 10 }));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('The CronTab "my-new-cron-object" is invalid: spec: Invalid value: "object": replicas should be smaller than or equal to maxReplicas.');
    expect(refused.stderr).not.toContain('greater than or equal to minReplicas');
    await ok(['apply', '-f', '-'], cronTab({ minReplicas: 0, replicas: 5, maxReplicas: 10 }));
  });

  it('defaulting: cronSpec and replicas are defaulted; nullable decides between keeping null and pruning it', async () => {
    await installCronTab(
      cronTabCrd({
        specProperties: {
          cronSpec: { type: 'string', pattern: cronSpecPattern, default: '5 0 * * *' },
          image: { type: 'string' },
          replicas: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
          foo: { type: 'string', nullable: false, default: 'default' },
          bar: { type: 'string', nullable: true },
          baz: { type: 'string' },
        },
      }),
    );
    await ok(['apply', '-f', '-'], cronTab({ image: 'my-awesome-cron-image' }));
    const got = JSON.parse(await ok(['get', 'crontab', 'my-new-cron-object', '-o', 'json'])) as { spec: unknown };
    expect(got.spec).toEqual({ cronSpec: '5 0 * * *', image: 'my-awesome-cron-image', replicas: 1, foo: 'default' });

    const nulls = { ...cronTab({ foo: null, bar: null, baz: null }), metadata: { name: 'nulls' } };
    const created = JSON.parse(await ok(['create', '-f', '-', '-o', 'json'], nulls)) as { spec: unknown };
    expect(created.spec).toEqual({ cronSpec: '5 0 * * *', replicas: 1, foo: 'default', bar: null });
  });

  it('additional printer columns: SPEC, REPLICAS and AGE; a column with priority 1 only in -o wide', async () => {
    await installCronTab(
      cronTabCrd({
        version: {
          additionalPrinterColumns: [
            { name: 'Spec', type: 'string', description: 'The cron spec defining the interval a CronJob is run', jsonPath: '.spec.cronSpec' },
            { name: 'Replicas', type: 'integer', description: 'The number of jobs launched by the CronJob', jsonPath: '.spec.replicas' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
            { name: 'Image', type: 'string', priority: 1, jsonPath: '.spec.image' },
          ],
        },
      }),
    );
    await ok(['apply', '-f', '-'], cronTab({ cronSpec: '* * * * *', image: 'my-awesome-cron-image', replicas: 1 }));
    const [header, row] = rows(await ok(['get', 'crontab', 'my-new-cron-object']));
    expect(header).toEqual(['NAME', 'SPEC', 'REPLICAS', 'AGE']);
    expect(row!.slice(0, 3)).toEqual(['my-new-cron-object', '* * * * *', '1']);
    expect(row![3]).toMatch(/^\d+s$/);
    const [wideHeader, wideRow] = rows(await ok(['get', 'crontab', 'my-new-cron-object', '-o', 'wide']));
    expect(wideHeader).toEqual(['NAME', 'SPEC', 'REPLICAS', 'AGE', 'IMAGE']);
    expect(wideRow![4]).toBe('my-awesome-cron-image');
  });

  it('subresources: status and scale; kubectl scale sets .spec.replicas', async () => {
    await installCronTab(
      cronTabCrd({
        properties: { status: { type: 'object', properties: { replicas: { type: 'integer' }, labelSelector: { type: 'string' } } } },
        version: { subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' } } },
      }),
    );
    await ok(['apply', '-f', '-'], cronTab({ cronSpec: '* * * * */5', image: 'my-awesome-cron-image', replicas: 3 }));
    expect(await ok(['scale', '--replicas=5', 'crontabs/my-new-cron-object'])).toBe('crontab.stable.example.com/my-new-cron-object scaled\n');
    expect(await ok(['get', 'crontabs', 'my-new-cron-object', '-o', 'jsonpath={.spec.replicas}'])).toBe('5');

    // A controller reports status through /status; /scale reads it back.
    const path = '/apis/stable.example.com/v1/namespaces/default/crontabs/my-new-cron-object';
    const current = await env.client.get<Record<string, unknown>>(path);
    await env.client.update(`${path}/status`, { ...current, status: { replicas: 5, labelSelector: 'app=cron' } });
    const scale = await env.client.get<{ spec: unknown; status: unknown }>(`${path}/scale`);
    expect(scale).toMatchObject({ spec: { replicas: 5 }, status: { replicas: 5, selector: 'app=cron' } });
    // The main resource ignores status changes.
    const patched = JSON.parse(await ok(['patch', 'crontab', 'my-new-cron-object', '--type=merge', '-p', '{"status":{"replicas":1}}', '-o', 'json'])) as { status: unknown };
    expect(patched.status).toEqual({ replicas: 5, labelSelector: 'app=cron' });
  });

  it('categories: `kubectl get all` includes CronTabs', async () => {
    await installCronTab(cronTabCrd({ categories: ['all'] }));
    await ok(['apply', '-f', '-'], myCronTab);
    // A kubectl whose discovery cache predates the category would not expand `all` to CronTabs
    // (kubectl refreshes discovery only for names it does not know): use a fresh one.
    const fresh = await createKubectl(env.url);
    try {
      const all = await fresh.run(['get', 'all', '-o', 'name']);
      expect(all.stdout).toContain('crontab.stable.example.com/my-new-cron-object\n');
    } finally {
      await fresh.dispose();
    }
  });
});

describe('the Shirt example (selectable fields)', () => {
  const dir = join(repoRoot, 'test/fixtures/manifests/k8s-website/customresourcedefinition');

  it('filters Shirts with --field-selector on spec.color and spec.size, printing the COLOR and SIZE columns', async () => {
    expect(await ok(['apply', '-f', join(dir, 'shirt-resource-definition.yaml')])).toBe('customresourcedefinition.apiextensions.k8s.io/shirts.stable.example.com created\n');
    await ok(['wait', '--for=condition=Established', 'crd/shirts.stable.example.com', '--timeout=10s']);
    await eventually('shirts served', async () => ((await env.client.raw('GET', '/apis/stable.example.com/v1/namespaces/default/shirts')).status === 200 ? true : undefined), 10_000);
    await ok(['apply', '-f', join(dir, 'shirt-resources.yaml')]);
    expect(rows(await ok(['get', 'shirts.stable.example.com']))).toEqual([
      ['NAME', 'COLOR', 'SIZE'],
      ['example1', 'blue', 'S'],
      ['example2', 'blue', 'M'],
      ['example3', 'green', 'M'],
    ]);
    expect(rows(await ok(['get', 'shirts.stable.example.com', '--field-selector', 'spec.color=blue']))).toEqual([
      ['NAME', 'COLOR', 'SIZE'],
      ['example1', 'blue', 'S'],
      ['example2', 'blue', 'M'],
    ]);
    expect(rows(await ok(['get', 'shirts.stable.example.com', '--field-selector', 'spec.color=green,spec.size=M']))).toEqual([
      ['NAME', 'COLOR', 'SIZE'],
      ['example3', 'green', 'M'],
    ]);
    const bad = await run(['get', 'shirts', '--field-selector', 'spec.fabric=cotton']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('field label not supported: spec.fabric');
  });
});
