/**
 * pods/log and pods/exec, proxied to the agent of the pod's node: a fake node agent on 127.0.0.1
 * is registered as a Node advertising its address and port, and pods bound to it are read and
 * run over HTTP and WebSocket, and with the real kubectl (logs, logs -f, exec, exec -i, exec -it).
 */
import { spawn } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { Channel, closeFrame, frame, parseFrame, type ExecStatus } from '../../client/nodeAgent';
import type { RawResponse } from '../../client/restClient';
import { useControlPlane } from '../harness/apiserver';
import { kubectlPath, useKubectl } from '../harness/kubectl';
import { tempDir } from '../harness/tmp';
import { podBody } from './crudHelpers';
import { eventually, expectStatus, withDeadline } from './helpers';
import { lineTime, startFakeNodeAgent, type FakeNodeAgent } from './fakeNodeAgent';

const plane = useControlPlane();
const kubectl = useKubectl(() => plane.url);
let agent: FakeNodeAgent;
/** A port nothing listens on: the agent of node "lost" cannot be reached. */
let deadPort: number;

const ns = 'default';
const podPath = (name: string, sub = '') => `/api/v1/namespaces/${ns}/pods/${name}${sub ? `/${sub}` : ''}`;

async function registerNode(name: string, port: number): Promise<void> {
  await plane.client.create('/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    status: { addresses: [{ type: 'Hostname', address: name }, { type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } },
  });
}

async function createPod(name: string, containers: string[], nodeName?: string): Promise<void> {
  const spec = { containers: containers.map((c) => ({ name: c, image: 'busybox' })), ...(nodeName ? { nodeName } : {}) };
  await plane.client.create(podPath('').replace(/\/$/, ''), podBody(name, { spec }));
}

beforeAll(async () => {
  agent = await startFakeNodeAgent();
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  deadPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));

  await registerNode('worker', agent.port);
  await registerNode('lost', deadPort);
  await createPod('solo', ['app'], 'worker');
  await createPod('duo', ['c1', 'c2'], 'worker');
  await createPod('ghost', ['app'], 'worker'); // bound, but its node agent does not know it
  await createPod('stranded', ['app'], 'lost');
  await createPod('waiting', ['app']);
  agent.logs.set(`${ns}/solo/app`, { current: ['one', 'two', 'three', 'four'], previous: ['old-1', 'old-2'] });
  agent.logs.set(`${ns}/duo/c1`, { current: ['from c1'] });
  agent.logs.set(`${ns}/duo/c2`, { current: ['from c2'] });
  agent.logs.set(`${ns}/follow/app`, { current: [] });
}, 60_000);

afterAll(async () => {
  await agent?.stop();
});

/** The query of the last request the agent got for `path`. */
function lastQuery(path: string): Record<string, string[]> {
  const request = [...agent.requests].reverse().find((r) => r.path === path);
  if (!request) throw new Error(`the node agent got no request for ${path}`);
  const out: Record<string, string[]> = {};
  for (const key of new Set(request.query.keys())) out[key] = request.query.getAll(key);
  return out;
}

const log = (name: string, query: Record<string, string> = {}): Promise<RawResponse> => plane.client.raw('GET', podPath(name, 'log'), { query });

describe('pods/log over HTTP', () => {
  it('streams the only container\'s log as text/plain', async () => {
    const res = await log('solo');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(res.text).toBe('one\ntwo\nthree\nfour\n');
    expect(lastQuery('/containerLogs/default/solo/app')).toEqual({});
  });

  it('passes tailLines, timestamps, previous, limitBytes and the since options to the agent', async () => {
    expect((await log('solo', { tailLines: '2' })).text).toBe('three\nfour\n');
    expect(lastQuery('/containerLogs/default/solo/app')).toEqual({ tailLines: ['2'] });
    expect((await log('solo', { timestamps: 'true', tailLines: '1' })).text).toBe(`${lineTime(3)} four\n`);
    expect(lastQuery('/containerLogs/default/solo/app')).toEqual({ timestamps: ['true'], tailLines: ['1'] });
    expect((await log('solo', { previous: 'true' })).text).toBe('old-1\nold-2\n');
    expect(lastQuery('/containerLogs/default/solo/app')).toEqual({ previous: ['true'] });
    expect((await log('solo', { limitBytes: '6' })).text).toBe('one\ntw');
    expect(lastQuery('/containerLogs/default/solo/app')).toEqual({ limitBytes: ['6'] });
    await log('solo', { sinceSeconds: '30' });
    expect(lastQuery('/containerLogs/default/solo/app')).toEqual({ sinceSeconds: ['30'] });
    await log('solo', { sinceTime: '2025-01-02T03:04:05+01:00' });
    expect(lastQuery('/containerLogs/default/solo/app')).toEqual({ sinceTime: ['2025-01-02T02:04:05Z'] });
  });

  it('needs a container name for a pod with several, and a valid one', async () => {
    const missing = expectStatus(await log('duo'), 400, 'BadRequest');
    expect(missing.message).toBe('a container name must be specified for pod duo, choose one of: [c1 c2]');
    expect(expectStatus(await log('duo', { container: 'c3' }), 400, 'BadRequest').message).toBe('container c3 is not valid for pod duo');
    expect((await log('duo', { container: 'c2' })).text).toBe('from c2\n');
  });

  it('validates the options as PodLogOptions', async () => {
    const negative = expectStatus(await log('solo', { tailLines: '-1', limitBytes: '0' }), 422, 'Invalid');
    expect(negative.message).toBe('PodLogOptions "solo" is invalid: [tailLines: Invalid value: -1: must be greater than or equal to 0, limitBytes: Invalid value: 0: must be greater than 0]');
    const both = expectStatus(await log('solo', { sinceSeconds: '5', sinceTime: '2025-01-02T03:04:05Z' }), 422, 'Invalid');
    expect(both.message).toContain('at most one of `sinceTime` or `sinceSeconds` may be specified');
    expectStatus(await log('solo', { tailLines: 'many' }), 400, 'BadRequest');
    expectStatus(await log('solo', { follow: 'maybe' }), 400, 'BadRequest');
  });

  it('answers 404 for an unknown pod and 204 for a pod not yet on a node', async () => {
    expectStatus(await log('nobody'), 404, 'NotFound');
    const res = await log('waiting');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
  });

  it('turns the agent\'s errors into Status errors', async () => {
    const res = await log('ghost');
    const body = expectStatus(res, 404, 'NotFound');
    expect(body.message).toBe('container "app" in pod "ghost" is not known to this node');
    const previous = expectStatus(await log('duo', { container: 'c1', previous: 'true' }), 400, 'BadRequest');
    expect(previous.message).toBe('previous terminated container not found');
  });

  it('answers 500 with the dial error when the node agent cannot be reached', async () => {
    const body = expectStatus(await log('stranded'), 500);
    expect(body.reason).toBeUndefined();
    expect(body.message).toBe(`Get "http://127.0.0.1:${deadPort}/containerLogs/default/stranded/app": dial tcp 127.0.0.1:${deadPort}: connect: connection refused`);
  });

  it('follows: lines arrive as the agent writes them, and leaving stops the agent\'s stream', async () => {
    await createPod('follow', ['app'], 'worker');
    const controller = new AbortController();
    const res = await fetch(plane.client.url(podPath('follow', 'log'), { follow: 'true' }), { signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const reader = res.body!.getReader();
    await eventually('the agent to have a follower', () => (agent.followers() === 1 ? true : undefined));
    let received = '';
    for (const line of ['first', 'second']) {
      agent.appendLog(`${ns}/follow/app`, line);
      while (!received.includes(`${line}\n`)) {
        const chunk = await withDeadline(reader.read(), 5_000, `the line "${line}"`);
        received += new TextDecoder().decode(chunk.value);
      }
    }
    expect(received).toBe('first\nsecond\n');
    controller.abort();
    await eventually('the agent\'s stream to end', () => (agent.followers() === 0 ? true : undefined));
  });
});

interface ExecResult {
  stdout: string;
  stderr: string;
  status: ExecStatus | undefined;
  protocol: string;
}

/** Runs an exec over WebSocket, sending `messages` once open, and collects what comes back until the server closes. */
function execOverWebSocket(pod: string, query: string, messages: Buffer[] = [], protocols = ['v5.channel.k8s.io']): Promise<ExecResult> {
  const url = `${plane.url.replace(/^http/, 'ws')}${podPath(pod, 'exec')}?${query}`;
  return withDeadline(
    new Promise<ExecResult>((resolve, reject) => {
      const ws = new WebSocket(url, protocols);
      const result: ExecResult = { stdout: '', stderr: '', status: undefined, protocol: '' };
      ws.on('open', () => {
        result.protocol = ws.protocol;
        for (const m of messages) ws.send(m);
      });
      ws.on('message', (data: Buffer) => {
        const message = parseFrame(data)!;
        if (message.channel === Channel.stdout) result.stdout += message.data.toString();
        if (message.channel === Channel.stderr) result.stderr += message.data.toString();
        if (message.channel === Channel.error) result.status = JSON.parse(message.data.toString()) as ExecStatus;
      });
      ws.on('close', () => resolve(result));
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => reject(new Error(`HTTP ${res.statusCode}: ${body}`)));
      });
      ws.on('error', reject);
    }),
    10_000,
    `exec ${query}`,
  );
}

describe('pods/exec over WebSocket', () => {
  it('runs a command and relays stdout and the final Status, with the subprotocol asked', async () => {
    const result = await execOverWebSocket('solo', 'command=echo&command=hello&command=world&stdout=true&stderr=true');
    expect(result).toEqual({ stdout: 'hello world\n', stderr: '', status: { metadata: {}, status: 'Success' }, protocol: 'v5.channel.k8s.io' });
    const request = [...agent.requests].reverse().find((r) => r.path === '/exec/default/solo/app')!;
    expect(request.protocol).toBe('v5.channel.k8s.io');
    expect(request.query.toString()).toBe('stdout=1&stderr=1&command=echo&command=hello&command=world');
  });

  it('pipes stdin, and the close frame that ends it', async () => {
    const result = await execOverWebSocket('solo', 'command=cat&stdin=true&stdout=true&stderr=true', [frame(Channel.stdin, 'abc\n'), frame(Channel.stdin, 'def\n'), closeFrame(Channel.stdin)]);
    expect(result.stdout).toBe('abc\ndef\n');
    expect(result.status?.status).toBe('Success');
  });

  it('relays stderr and a non-zero exit code', async () => {
    const result = await execOverWebSocket('duo', 'container=c2&command=exit&command=3&stdout=true&stderr=true');
    expect(result.stderr).toBe('bye\n');
    expect(result.status).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } });
  });

  it('passes resize frames to the agent', async () => {
    const result = await execOverWebSocket('solo', 'command=size&stdin=true&stdout=true&tty=true', [frame(Channel.resize, JSON.stringify({ Width: 80, Height: 24 }))]);
    expect(result.stdout).toBe('80x24\n');
  });

  it('speaks v4.channel.k8s.io with a client that offers only that', async () => {
    const result = await execOverWebSocket('solo', 'command=echo&command=v4&stdout=true', [], ['v4.channel.k8s.io']);
    expect(result).toMatchObject({ protocol: 'v4.channel.k8s.io', stdout: 'v4\n' });
  });

  it('answers pings with pongs while the command runs', async () => {
    const url = `${plane.url.replace(/^http/, 'ws')}${podPath('solo', 'exec')}?command=cat&stdin=true&stdout=true`;
    const ws = new WebSocket(url, ['v5.channel.k8s.io']);
    await withDeadline(new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject))), 5_000, 'the exec stream to open');
    const pong = new Promise<Buffer>((resolve) => ws.once('pong', resolve));
    ws.ping('are you there');
    expect((await withDeadline(pong, 5_000, 'a pong')).toString()).toBe('are you there');
    const closed = new Promise((resolve) => ws.once('close', resolve));
    ws.close();
    await withDeadline(closed, 5_000, 'the stream to close');
    await eventually('the agent\'s exec stream to close', () => (agent.execs() === 0 ? true : undefined));
  });

  it('reports an unreachable node agent as a Failure Status on the error channel', async () => {
    const result = await execOverWebSocket('stranded', 'command=echo&stdout=true');
    expect(result.status).toEqual({ metadata: {}, status: 'Failure', message: `error dialing backend: dial tcp 127.0.0.1:${deadPort}: connect: connection refused` });
  });

  it('reports an agent that refuses the command on the error channel', async () => {
    const result = await execOverWebSocket('ghost', 'command=echo&stdout=true');
    expect(result.status).toEqual({ metadata: {}, status: 'Failure', message: 'container "app" is not known to this node' });
  });

  it('answers what it can check before upgrading as HTTP errors', async () => {
    const get = (pod: string, query: Record<string, string>, headers: Record<string, string> = {}) =>
      plane.client.raw('GET', podPath(pod, 'exec'), { query, headers });
    const ok = { command: 'echo', stdout: 'true' };
    expect(expectStatus(await get('waiting', ok), 400, 'BadRequest').message).toBe('pod waiting does not have a host assigned');
    expect(expectStatus(await get('duo', ok), 400, 'BadRequest').message).toBe('a container name must be specified for pod duo, choose one of: [c1 c2]');
    expect(expectStatus(await get('solo', { command: 'echo' }), 400, 'BadRequest').message).toBe('you must specify at least 1 of stdin, stdout, stderr');
    expect(expectStatus(await get('solo', { stdout: 'true' }), 400, 'BadRequest').message).toBe('you must specify at least one command for the container');
    expectStatus(await get('nobody', ok), 404, 'NotFound');
    // A plain request, not an upgrade.
    expect(expectStatus(await get('solo', ok), 400, 'BadRequest').message).toMatch(/^unable to upgrade: pods\/exec is served over WebSocket/);
  });

  it('refuses kubectl\'s SPDY fallback and unknown subprotocols with a Status', async () => {
    const spdy = await upgradeRequest('POST', `${podPath('solo', 'exec')}?command=echo&stdout=true`, { Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' });
    expect(spdy.status).toBe(400);
    expect(JSON.parse(spdy.body)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
    const ws = await upgradeRequest('GET', `${podPath('solo', 'exec')}?command=echo&stdout=true`, {
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Protocol': 'v3.channel.k8s.io',
    });
    expect(ws.status).toBe(400);
    expect(JSON.parse(ws.body).message).toBe('unable to upgrade: unable to negotiate protocol: client supports [v3.channel.k8s.io], server supports [v5.channel.k8s.io v4.channel.k8s.io]');
  });
});

/** An upgrade request whose answer is read as an ordinary HTTP response. */
function upgradeRequest(method: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return withDeadline(
    new Promise((resolve, reject) => {
      const req = httpRequest(new URL(path, plane.url), { method, headers: { Connection: 'Upgrade', ...headers } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('upgrade', () => reject(new Error('the server upgraded the connection')));
      req.on('error', reject);
      req.end();
    }),
    5_000,
    `${method} ${path}`,
  );
}

describe('kubectl logs and exec', () => {
  it('kubectl logs prints the log, of a named container, and its tail', async () => {
    expect(await kubectl.get().run(['logs', 'solo'])).toMatchObject({ code: 0, stdout: 'one\ntwo\nthree\nfour\n' });
    expect(await kubectl.get().run(['logs', 'duo', '-c', 'c2'])).toMatchObject({ code: 0, stdout: 'from c2\n' });
    expect(await kubectl.get().run(['logs', 'solo', '--tail=2'])).toMatchObject({ code: 0, stdout: 'three\nfour\n' });
  });

  it('kubectl logs -f prints lines as they are written', async () => {
    await createPod('tail', ['app'], 'worker');
    agent.logs.set(`${ns}/tail/app`, { current: ['ready'] });
    const running = kubectl.get().start(['logs', '-f', 'tail']);
    try {
      await running.waitFor('ready\n');
      agent.appendLog(`${ns}/tail/app`, 'later');
      await running.waitFor('ready\nlater\n');
    } finally {
      await running.stop();
    }
  });

  it('kubectl exec prints the output, feeds stdin with -i, and exits with the command\'s code', async () => {
    expect(await kubectl.get().run(['exec', 'solo', '--', 'echo', 'hi'])).toMatchObject({ code: 0, stdout: 'hi\n' });
    expect(await kubectl.get().run(['exec', '-i', 'solo', '--', 'cat'], { stdin: 'hello\nworld\n' })).toMatchObject({ code: 0, stdout: 'hello\nworld\n' });
    const failed = await kubectl.get().run(['exec', 'duo', '-c', 'c1', '--', 'exit', '3']);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain('bye\n');
  });

  it('kubectl exec -it sends the terminal\'s size as a resize frame', async () => {
    // A terminal for kubectl: script(1) runs it on a pseudo-terminal of a known size.
    const cache = await tempDir('kubectl-tty');
    const command = `stty cols 101 rows 33; ${kubectlPath} --kubeconfig ${kubectl.get().kubeconfig} --cache-dir ${cache.path} exec -it solo -- size`;
    const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      const code = await withDeadline(new Promise((resolve) => child.once('close', resolve)), 20_000, 'kubectl exec -it');
      expect({ code, output: output.replace(/\r/g, '') }).toEqual({ code: 0, output: '101x33\n' });
    } finally {
      child.kill('SIGKILL');
      await cache.remove();
    }
  });

  it('kubectl exec to a pod whose node agent is unreachable prints the error and fails', async () => {
    const result = await kubectl.get().run(['exec', 'stranded', '--', 'echo', 'hi']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`error dialing backend: dial tcp 127.0.0.1:${deadPort}: connect: connection refused`);
  });

  it('kubectl exec to a pod not on a node prints the server\'s error', async () => {
    const result = await kubectl.get().run(['exec', 'waiting', '--', 'echo', 'hi']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('pod waiting does not have a host assigned');
  });
});
