/**
 * `marina logs` and `marina exec` through the API server to a fake node agent on 127.0.0.1 (the
 * one the pods/log and pods/exec tests use): containers, tails, timestamps, previous instances,
 * following, a workload's pod, exit codes passed through and stdin.
 */
import { Readable } from 'node:stream';
import { lineTime, startFakeNodeAgent, type FakeNodeAgent } from '../apiserver/fakeNodeAgent';
import { until } from '../e2e/e2e';
import { useCliCluster } from './cliCluster';

const cluster = useCliCluster({ workloads: false });
let agent: FakeNodeAgent;

async function createPod(name: string, containers: string[], labels: Record<string, string> = {}): Promise<void> {
  await cluster.plane.client.create('/api/v1/namespaces/default/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { nodeName: 'worker', containers: containers.map((c) => ({ name: c, image: 'busybox' })) },
  });
}

beforeAll(async () => {
  agent = await startFakeNodeAgent();
  await cluster.plane.client.create('/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'worker' },
    status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: agent.port } } },
  });
  await createPod('solo', ['app']);
  await createPod('duo', ['c1', 'c2']);
  await createPod('web-abc', ['app'], { app: 'web' });
  await cluster.file('web.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: app, image: busybox}]\n');
  await cluster.ok(['apply', '-f', 'web.yaml']);
  agent.logs.set('default/solo/app', { current: ['one', 'two', 'three', 'four'], previous: ['old-1', 'old-2'] });
  agent.logs.set('default/duo/c1', { current: ['from c1'] });
  agent.logs.set('default/duo/c2', { current: ['from c2'] });
  agent.logs.set('default/web-abc/app', { current: ['web says hi'] });
}, 60_000);

afterAll(async () => {
  await agent?.stop();
});

describe('logs', () => {
  it('prints a container\'s log, its tail, with timestamps, or the previous instance\'s', async () => {
    expect(await cluster.run(['logs', 'solo'])).toEqual({ code: 0, stdout: 'one\ntwo\nthree\nfour\n', stderr: '' });
    expect(await cluster.ok(['logs', 'pod/solo', '--tail=2'])).toBe('three\nfour\n');
    expect(await cluster.ok(['logs', 'solo', '--tail', '1', '--timestamps'])).toBe(`${lineTime(3)} four\n`);
    expect(await cluster.ok(['logs', 'solo', '-p'])).toBe('old-1\nold-2\n');
  });

  it('picks the container: -c, else the first with a note', async () => {
    expect(await cluster.run(['logs', 'duo', '-c', 'c2'])).toEqual({ code: 0, stdout: 'from c2\n', stderr: '' });
    expect(await cluster.run(['logs', 'duo'])).toEqual({ code: 0, stdout: 'from c1\n', stderr: 'Defaulted container "c1" out of: c1, c2\n' });
    expect(await cluster.run(['logs', 'duo', '-c', 'c9'])).toEqual({ code: 1, stdout: '', stderr: 'error: container c9 is not valid for pod duo\n' });
  });

  it('reads a pod of a Deployment', async () => {
    expect(await cluster.ok(['logs', 'deploy/web'])).toBe('web says hi\n');
  });

  it('follows with -f until interrupted', async () => {
    agent.logs.set('default/solo/app', { current: ['first'] });
    const { io, done } = cluster.start(['logs', '-f', 'solo']);
    await until('the first line', async () => (io.stdout.text() === 'first\n' && agent.followers() === 1 ? true : undefined));
    agent.appendLog('default/solo/app', 'second');
    await until('the appended line', async () => (io.stdout.text() === 'first\nsecond\n' ? true : undefined));
    io.abort();
    expect(await done).toBe(0);
    await until('the follower to leave', async () => (agent.followers() === 0 ? true : undefined));
  });

  it('fails in one line for a pod that does not exist, and on usage', async () => {
    expect(await cluster.run(['logs', 'nope'])).toEqual({ code: 1, stdout: '', stderr: 'error: pods "nope" not found\n' });
    expect((await cluster.run(['logs'])).code).toBe(2);
    expect((await cluster.run(['logs', 'solo', '--tail=many'])).code).toBe(2);
  });
});

describe('exec', () => {
  it('runs a command and passes its output through', async () => {
    expect(await cluster.run(['exec', 'solo', '--', 'echo', 'hello', 'world'])).toEqual({ code: 0, stdout: 'hello world\n', stderr: '' });
    expect(await cluster.run(['exec', 'deploy/web', '--', 'warn', 'careful'])).toEqual({ code: 0, stdout: '', stderr: 'careful\n' });
  });

  it('passes the command\'s exit code through', async () => {
    expect(await cluster.run(['exec', 'duo', '-c', 'c2', '--', 'exit', '3'])).toEqual({ code: 3, stdout: '', stderr: 'bye\ncommand terminated with exit code 3\n' });
  });

  it('sends stdin with -i, its end included', async () => {
    expect(await cluster.run(['exec', '-i', 'solo', '--', 'cat'], { stdin: Readable.from([Buffer.from('abc\n'), Buffer.from('def\n')]) })).toEqual({ code: 0, stdout: 'abc\ndef\n', stderr: '' });
  });

  it('asks for a terminal with -it and sends its size', async () => {
    expect(await cluster.run(['exec', '-it', 'solo', '--', 'size'], { tty: true })).toEqual({ code: 0, stdout: '120x40\n', stderr: '' });
  });

  it('reports a command that cannot run, and usage errors', async () => {
    expect(await cluster.run(['exec', 'solo', '--', 'frobnicate'])).toEqual({ code: 1, stdout: '', stderr: 'error: exec: "frobnicate": executable file not found in $PATH\n' });
    expect((await cluster.run(['exec', 'solo'])).code).toBe(2);
    expect(await cluster.run(['exec', 'nope', '--', 'echo'])).toEqual({ code: 1, stdout: '', stderr: 'error: pods "nope" not found\n' });
  });
});
