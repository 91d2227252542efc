import { useControlPlane } from './apiserver';
import { useKubectl } from './kubectl';

const plane = useControlPlane();
const kubectl = useKubectl(() => plane.url);

it('runs the real kubectl against the test control plane', async () => {
  const version = await kubectl.get().run(['version', '-o', 'json']);
  expect(version.code).toBe(0);
  expect(JSON.parse(version.stdout).serverVersion).toMatchObject({ major: '1', minor: '32' });
  const ns = await kubectl.get().run(['get', 'namespaces', '-o', 'name']);
  expect(ns.stdout.split('\n').filter(Boolean).sort()).toEqual(['namespace/default', 'namespace/kube-node-lease', 'namespace/kube-public', 'namespace/kube-system']);
});
