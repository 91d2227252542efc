import { chainId, normalizeImageRef } from './images';
import { validImageReference } from './pull';

test('image references are normalised as docker and containerd do', () => {
  expect(normalizeImageRef('busybox')).toBe('docker.io/library/busybox:latest');
  expect(normalizeImageRef('me/app:1')).toBe('docker.io/me/app:1');
  expect(normalizeImageRef('127.0.0.1:1/missing')).toBe('127.0.0.1:1/missing:latest');
  expect(normalizeImageRef('localhost/x@sha256:' + 'a'.repeat(64))).toBe('localhost/x@sha256:' + 'a'.repeat(64));
});

test('only well-formed references are pulled', () => {
  for (const ok of ['busybox', 'busybox:1.36', '127.0.0.1:1/missing:latest', 'registry.example/a/b-c_d:v1.2', `x@sha256:${'0'.repeat(64)}`]) expect(validImageReference(ok)).toBe(true);
  for (const bad of ['', 'Busybox', 'a b', 'x:', '-x', 'x;rm -rf /', '--help']) expect(validImageReference(bad)).toBe(false);
});

test('the chain ID of one layer is its diff ID; of more, a hash chain', () => {
  const a = `sha256:${'a'.repeat(64)}`;
  const b = `sha256:${'b'.repeat(64)}`;
  expect(chainId([a])).toBe(a);
  expect(chainId([a, b])).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(chainId([a, b])).not.toBe(chainId([b, a]));
});
