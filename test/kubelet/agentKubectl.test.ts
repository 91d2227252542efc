/** kubectl logs (-f, --tail, --timestamps, --previous) and exec (stdin, exit codes) end to end: kubectl → API server → the agent. */
import { appendFile } from 'node:fs/promises';
import { containerLogPath } from '../../kubelet/pod/containerStarter';
import { useControlPlane } from '../harness/apiserver';
import { useKubectl } from '../harness/kubectl';
import { createPod, getPod, isReady, podOn, startTestAgent, uniqueName, waitForPod, type TestAgent } from './agentHarness';

const plane = useControlPlane();
const kubectl = useKubectl(() => plane.url);
const ns = 'default';
const node = 'node-k';
let agent: TestAgent;

beforeAll(async () => {
  agent = await startTestAgent(plane.url, node);
}, 30_000);
afterAll(() => agent?.dispose());

const criLine = (text: string, stream = 'stdout') => `${new Date().toISOString().replace('Z', '000000Z')} ${stream} F ${text}\n`;

test('kubectl logs prints the log, with --tail and --timestamps, and -f follows new lines', async () => {
  const name = uniqueName('logs');
  await createPod(plane.client, ns, podOn(node, name, {}, { MARINA_FAKE_LOG: 'one\ntwo\nthree' }));
  const pod = await waitForPod(plane.client, ns, name, 'ready', isReady);
  const all = await kubectl.get().run(['logs', name]);
  expect(all.stderr).toBe('');
  expect(all.stdout).toBe('one\ntwo\nthree\n');
  expect((await kubectl.get().run(['logs', name, '--tail', '1'])).stdout).toBe('three\n');
  expect((await kubectl.get().run(['logs', name, '--timestamps', '--tail', '1'])).stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z three\n$/);
  expect((await kubectl.get().run(['logs', name, '--limit-bytes', '5'])).stdout).toBe('one\nt');

  const follow = kubectl.get().start(['logs', '-f', name]);
  try {
    await follow.waitFor('three\n');
    await appendFile(containerLogPath(agent.rootDir, pod, 'main', 0), criLine('four') + criLine('five', 'stderr'));
    await follow.waitFor('four\nfive\n', 15_000);
  } finally {
    await follow.stop();
  }
});

test('kubectl logs --previous shows the instance before a restart; unknown containers are errors', async () => {
  const name = uniqueName('prev');
  await createPod(plane.client, ns, podOn(node, name, {}, { MARINA_FAKE_LOG: 'hello', MARINA_FAKE_RUN_SECONDS: '0.2', MARINA_FAKE_EXIT_CODE: '1' }));
  await waitForPod(plane.client, ns, name, 'restarted', (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1);
  const previous = await kubectl.get().run(['logs', name, '--previous']);
  expect(previous.stdout).toBe('hello\n');
  const wrong = await kubectl.get().run(['logs', name, '-c', 'nope']);
  expect(wrong.code).not.toBe(0);
  expect(wrong.stderr).toContain('nope');
});

test('kubectl exec passes stdin, output and the exit code through', async () => {
  const name = uniqueName('exec');
  await createPod(plane.client, ns, podOn(node, name, {}, { GREETING: 'hi' }));
  await waitForPod(plane.client, ns, name, 'ready', isReady);
  const echo = await kubectl.get().run(['exec', name, '--', 'echo', 'hello', 'there']);
  expect(echo).toMatchObject({ code: 0, stdout: 'hello there\n' });
  const cat = await kubectl.get().run(['exec', '-i', name, '--', 'cat'], { stdin: 'from stdin\n' });
  expect(cat).toMatchObject({ code: 0, stdout: 'from stdin\n' });
  const env = await kubectl.get().run(['exec', name, '--', 'env']);
  expect(env.stdout).toContain('GREETING=hi\n');
  const failed = await kubectl.get().run(['exec', name, '--', 'sh', '-c', 'exit 3']);
  expect(failed.code).toBe(3);
  expect(await getPod(plane.client, ns, name)).toBeDefined();
});
