/**
 * Pod networking on real containers: a network namespace per pod (CNI bridge + host-local on the
 * test's own /24), containers of a pod sharing it, the pod reachable at its IP from the host
 * through the test's bridge, and everything removed with the pod.
 */
import { randomUUID } from 'node:crypto';
import { readFile, readlink } from 'node:fs/promises';
import { request } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../kubelet/network/command';
import { egressChainName } from '../../kubelet/network/iptables';
import { netnsExists } from '../../kubelet/network/netns';
import { PodNetwork } from '../../kubelet/network/podNetwork';
import type { ContainerSpec, Sandbox } from '../../kubelet/runtime/interface';
import { eventually } from '../client/helpers';
import { useCtrRuntime } from '../harness/containerd';

const t = useCtrRuntime();

function spec(s: Sandbox, name: string, command: string[]): ContainerSpec {
  return {
    podUid: s.podUid, podName: 'web', namespace: 'default', name, restartCount: 0, image: t.image, command, args: [], env: [], mounts: [],
    tty: false, stdin: false, labels: { 'io.kubernetes.container.name': name }, logPath: join(t.stateDir, 'logs', s.podUid, `${name}.log`),
  };
}

async function run(s: Sandbox, name: string, command: string[]): Promise<string> {
  const id = await t.runtime.createContainer(s, spec(s, name, command));
  await t.runtime.startContainer(id);
  return id;
}

/** GET http://ip:port/path from the host; the body, or undefined when nothing answers yet. */
function httpGet(ip: string, port: number, path: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: ip, port, path, timeout: 2_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

function newPod(name: string): Promise<Sandbox> {
  return t.runtime.createSandbox({ podUid: randomUUID(), podName: name, namespace: 'default', hostname: name, hostNetwork: false });
}

test('a pod gets an address of the pod CIDR; creating its sandbox again is idempotent', async () => {
  const s = await newPod('addr');
  expect(s.ip).toBeDefined();
  const prefix = t.podCidr.split('.').slice(0, 3).join('.') + '.';
  expect(s.ip!.startsWith(prefix)).toBe(true);
  expect(s.netnsPath).toBeDefined();
  const again = await newPodAgain(s);
  expect(again).toEqual(s);
  // No route out: the pod's only routes are its own subnet.
  const routes = await runCommand('ip', ['netns', 'exec', s.netnsPath!.split('/').at(-1)!, 'ip', 'route']);
  expect(routes.stdout).not.toMatch(/default/);
  await t.runtime.removeSandbox(s.podUid);
});

function newPodAgain(s: Sandbox): Promise<Sandbox> {
  return t.runtime.createSandbox({ podUid: s.podUid, podName: 'addr', namespace: 'default', hostname: 'addr', hostNetwork: false });
}

test('two containers of a pod reach each other on localhost', async () => {
  const s = await newPod('pair');
  await run(s, 'server', ['httpd', '-f', '-p', '127.0.0.1:8080', '-h', '/var/www']);
  const client = await run(s, 'client', ['sh', '-c', 'for i in $(seq 1 100); do wget -q -O - http://127.0.0.1:8080/ && exit 0; sleep 0.1; done; exit 1']);
  const done = await eventually('the client to finish', async () => {
    const c = await t.runtime.container(client);
    return c?.state === 'exited' ? c : undefined;
  }, 20_000);
  expect(done.exitCode).toBe(0);
  expect(await readFile(spec(s, 'client', []).logPath, 'utf8')).toContain('hello from marina busybox');
});

test('an httpd pod answers at its pod IP from the host', async () => {
  const s = await newPod('web');
  await run(s, 'httpd', ['httpd', '-f', '-p', '80', '-h', '/var/www']);
  const body = await eventually('httpd to answer at the pod IP', () => httpGet(s.ip!, 80, '/index.html'), 15_000);
  expect(body).toBe('hello from marina busybox\n');
});

test('removing a pod tears its network down, idempotently, and leaves no iptables rules behind', async () => {
  const s = await newPod('gone');
  const nsName = s.netnsPath!.split('/').at(-1)!;
  expect(await netnsExists(nsName)).toBe(true);
  const id = await run(s, 'sleeper', ['sleep', '1000']);
  await t.runtime.stopContainer(id, 0);
  await t.runtime.removeContainer(id);
  await t.runtime.removeSandbox(s.podUid);
  await t.runtime.removeSandbox(s.podUid);
  expect(await netnsExists(nsName)).toBe(false);
  expect((await t.runtime.listSandboxes()).map((x) => x.podUid)).not.toContain(s.podUid);
  // Its address is free again, and no rule mentions it or the bridge's pod range with masquerading.
  const rules = (await runCommand('iptables-save', [])).stdout;
  expect(rules).not.toContain(s.ip!);
  expect(rules).not.toMatch(/MASQUERADE.*CNI|CNI-/);
});

test('the egress guard is installed with the pod network and removed with it', async () => {
  const bridge = `${t.bridge}g`.slice(0, 15);
  const network = new PodNetwork({ podCidr: '10.199.77.0/24', clusterCidr: '10.199.0.0/16', stateDir: join(t.stateDir, 'guarded'), bridge, dropEgress: true });
  await network.init();
  try {
    const chain = egressChainName(bridge);
    const rules = (await runCommand('iptables', ['-w', '5', '-S', chain])).stdout;
    expect(rules).toContain(`-A ${chain} -d 10.199.0.0/16 -j RETURN`);
    expect(rules).toContain(`-A ${chain} -j DROP`);
    expect((await runCommand('iptables', ['-w', '5', '-C', 'FORWARD', '-s', '10.199.77.0/24', '-j', chain])).code).toBe(0);
  } finally {
    await network.shutdown({ deleteBridge: true });
  }
  expect((await runCommand('iptables-save', [])).stdout).not.toContain(egressChainName(bridge));
});

test('a sandbox whose namespaces are gone (as after a reboot) is made again', async () => {
  const s = await newPod('reboot');
  const nsName = s.netnsPath!.split('/').at(-1)!;
  const dir = join(t.stateDir, 'sandboxes', s.podUid);
  await runCommand('umount', [join(dir, 'ipc.ns')]);
  await runCommand('umount', [join(dir, 'uts.ns')]);
  await runCommand('ip', ['netns', 'delete', nsName]);
  const again = await t.runtime.createSandbox({ podUid: s.podUid, podName: 'reboot', namespace: 'default', hostname: 'reboot', hostNetwork: false });
  expect(await netnsExists(nsName)).toBe(true);
  await run(again, 'httpd', ['httpd', '-f', '-p', '80', '-h', '/var/www']);
  expect(await eventually('httpd to answer at the new pod IP', () => httpGet(again.ip!, 80, '/'), 15_000)).toContain('hello from marina busybox');
});

test('a hostNetwork pod has no namespace of its own and sees the host network', async () => {
  const s = await t.runtime.createSandbox({ podUid: randomUUID(), podName: 'host', namespace: 'default', hostname: 'ignored', hostNetwork: true });
  expect(s.netnsPath).toBeUndefined();
  expect(s.ips).toEqual([]);
  const id = await run(s, 'look', ['sh', '-c', 'hostname; readlink /proc/self/ns/net']);
  await eventually('the container to exit', async () => ((await t.runtime.container(id))?.state === 'exited' ? true : undefined));
  const [name, netns] = (await readFile(spec(s, 'look', []).logPath, 'utf8')).trim().split('\n');
  expect(name).toBe(hostname());
  expect(netns).toBe(await readlink('/proc/self/ns/net'));
  await t.runtime.removeContainer(id);
  await t.runtime.removeSandbox(s.podUid);
});
