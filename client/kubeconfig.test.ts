import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeconfig, loadKubeconfigText } from './kubeconfig';

const full = `
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: prod
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: Q0E=
- name: local
  cluster:
    server: http://127.0.0.1:6443/
    certificate-authority: certs/ca.crt
    insecure-skip-tls-verify: true
contexts:
- name: dev
  context:
    cluster: local
    user: admin
    namespace: team-a
- name: prod
  context: {cluster: prod, user: robot}
users:
- name: admin
  user:
    client-certificate: admin.crt
    client-key: /abs/admin.key
- name: robot
  user:
    token: abc
`;

describe('kubeconfig', () => {
  it('follows current-context to the cluster server, namespace and user, resolving relative files against the kubeconfig', () => {
    const k = loadKubeconfigText(full, { path: '/etc/marina/kubeconfig' });
    expect(k).toMatchObject({ contextName: 'dev', clusterName: 'local', userName: 'admin', server: 'http://127.0.0.1:6443', namespace: 'team-a' });
    expect(k.cluster).toEqual({ server: 'http://127.0.0.1:6443', certificateAuthority: '/etc/marina/certs/ca.crt', insecureSkipTlsVerify: true });
    expect(k.user).toEqual({ clientCertificate: '/etc/marina/admin.crt', clientKey: '/abs/admin.key' });
  });

  it('takes another context on request; namespace defaults to default; token fields are read', () => {
    const k = loadKubeconfigText(full, { context: 'prod' });
    expect(k).toMatchObject({ server: 'https://10.0.0.1:6443', namespace: 'default', user: { token: 'abc' }, cluster: { certificateAuthorityData: 'Q0E=' } });
  });

  it('a user entry that is missing or empty is no error (no auth needed)', () => {
    const k = loadKubeconfigText('current-context: c\ncontexts: [{name: c, context: {cluster: x}}]\nclusters: [{name: x, cluster: {server: "http://h:1"}}]\n');
    expect(k.user).toEqual({});
    expect(k.server).toBe('http://h:1');
  });

  it('says what is wrong', () => {
    expect(() => loadKubeconfigText('- a list')).toThrow(/not a kubeconfig/);
    expect(() => loadKubeconfigText('kind: Config\n')).toThrow(/no current-context/);
    expect(() => loadKubeconfigText(full, { context: 'nope' })).toThrow(/context "nope" not found/);
    expect(() => loadKubeconfigText('current-context: c\ncontexts: [{name: c, context: {cluster: x}}]\n')).toThrow(/cluster "x" not found/);
    expect(() => loadKubeconfigText('current-context: c\ncontexts: [{name: c, context: {cluster: x}}]\nclusters: [{name: x, cluster: {}}]\n')).toThrow(/has no server/);
    expect(() => loadKubeconfigText('a: [')).toThrow(/not valid YAML/);
  });

  it('reads a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'marina-kc-'));
    try {
      await writeFile(join(dir, 'config'), full);
      const k = await loadKubeconfig(join(dir, 'config'));
      expect(k.path).toBe(join(dir, 'config'));
      expect(k.cluster.certificateAuthority).toBe(join(dir, 'certs/ca.crt'));
      await expect(loadKubeconfig(join(dir, 'missing'))).rejects.toThrow(/cannot read kubeconfig/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
