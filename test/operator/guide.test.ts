/**
 * The test shown in docs/writing-a-controller.md ("Testing on a private control plane"), kept
 * here so the guide's code is known to work: envtest with the WebSite CRD, the operator in a
 * Manager, a WebSite in, an owned Deployment out.
 */
import type { Deployment } from '../../api/kinds/apps/deployment';
import { startEnvironment, type TestEnvironment } from '../../controllers/runtime/envtest';
import { Manager } from '../../controllers/runtime';
import { addWebSiteController } from '../../examples/website-operator/controller';
import { newWebSite, webSitesGvr, type WebSite } from '../../examples/website-operator/types';
import { eventually } from '../client/helpers';             // polls until a value, with a deadline
import { webSiteCrd } from './operatorHarness';             // crds/website.yaml, parsed

let env: TestEnvironment;
beforeAll(async () => { env = await startEnvironment({ crds: [webSiteCrd()] }); }, 60_000);
afterAll(() => env.stop());

it('makes a Deployment owned by the WebSite', async () => {
  const manager = new Manager({ client: env.client, name: 'test', leaderElection: false });
  addWebSiteController(manager);
  await manager.start();
  try {
    await env.client.resource<WebSite>(webSitesGvr, 'default').create(newWebSite('hello', { content: 'hi' }));
    const d = await eventually('the Deployment', async () => {
      const res = await env.client.raw('GET', '/apis/apps/v1/namespaces/default/deployments/hello');
      return res.status === 200 ? (res.json as Deployment) : undefined;
    });
    expect(d.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'WebSite', name: 'hello', controller: true });
  } finally {
    await manager.stop();
  }
});
