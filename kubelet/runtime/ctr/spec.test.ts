import { buildOciSpec, cpuQuota, resolveProcess, resolveUser } from './spec';

const image = { env: ['PATH=/bin', 'A=image'], entrypoint: ['/entry'], cmd: ['default'], workingDir: '/work', user: '', stopSignal: '' };

test('command replaces entrypoint and cmd, args replace cmd, env overrides by name', () => {
  expect(resolveProcess({ command: [], args: [], env: [], workingDir: undefined }, image)).toEqual({ args: ['/entry', 'default'], env: ['PATH=/bin', 'A=image'], cwd: '/work' });
  expect(resolveProcess({ command: [], args: ['x'], env: [{ name: 'A', value: 'pod' }], workingDir: '/tmp' }, image)).toEqual({ args: ['/entry', 'x'], env: ['PATH=/bin', 'A=pod'], cwd: '/tmp' });
  expect(resolveProcess({ command: ['sh'], args: ['-c', 'true'], env: [], workingDir: '' }, { ...image, env: [] }).args).toEqual(['sh', '-c', 'true']);
  expect(resolveProcess({ command: ['sh'], args: [], env: [], workingDir: '' }, { ...image, env: [] }).env[0]).toMatch(/^PATH=/);
});

test('the user comes from the pod, else the image (by name through its /etc/passwd)', () => {
  const files = { passwd: 'root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n', group: 'root:x:0:\nnogroup:x:65534:\n' };
  expect(resolveUser(undefined, '', files)).toEqual({ uid: 0, gid: 0, additionalGids: [] });
  expect(resolveUser(undefined, 'nobody', files)).toEqual({ uid: 65534, gid: 65534, additionalGids: [] });
  expect(resolveUser(undefined, '1000:nogroup', files)).toEqual({ uid: 1000, gid: 65534, additionalGids: [] });
  expect(resolveUser({ uid: 5, gid: 6 }, 'nobody', files)).toEqual({ uid: 5, gid: 6, additionalGids: [] });
  expect(() => resolveUser(undefined, 'ghost', files)).toThrow(/not in its \/etc\/passwd/);
});

test('the OCI spec joins the pod namespaces, applies limits and bind mounts', () => {
  const spec = buildOciSpec({
    rootfs: '/r', args: ['sh'], env: ['A=1'], cwd: '/', uid: 1000, gid: 1000, terminal: false, hostname: 'pod',
    namespaces: { network: '/var/run/netns/p', ipc: '/s/ipc.ns', uts: '/s/uts.ns' },
    mounts: [{ hostPath: '/h', containerPath: '/data', readOnly: true }],
    cgroupsPath: '/marina/ns/id', memoryBytes: 64 * 1024 * 1024, milliCPU: 500,
  });
  expect(spec.linux.namespaces).toEqual([{ type: 'pid' }, { type: 'mount' }, { type: 'network', path: '/var/run/netns/p' }, { type: 'ipc', path: '/s/ipc.ns' }, { type: 'uts', path: '/s/uts.ns' }]);
  expect(spec.linux.resources.memory).toEqual({ limit: 64 * 1024 * 1024 });
  expect(spec.linux.resources.cpu).toEqual({ quota: 50_000, period: 100_000 });
  expect(spec.mounts.at(-1)).toEqual({ destination: '/data', type: 'bind', source: '/h', options: ['rbind', 'rprivate', 'ro'] });
  expect(spec.process.capabilities.effective).toEqual([]); // not root
  expect(spec.hostname).toBe('pod');
  const host = buildOciSpec({ rootfs: '/r', args: ['sh'], env: [], cwd: '/', uid: 0, gid: 0, terminal: false, hostname: 'n', namespaces: { network: 'host', uts: 'host' }, mounts: [], cgroupsPath: '/c' });
  expect(host.linux.namespaces.map((n) => n.type)).toEqual(['pid', 'mount', 'ipc']);
  expect(host.hostname).toBeUndefined();
  expect(cpuQuota(1)).toBe(1000);
});
