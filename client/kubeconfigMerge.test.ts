import { kubeconfigFromDocument, mergeKubeconfigDocuments, parseKubeconfigText } from './kubeconfig';

const first = parseKubeconfigText(`
current-context: dev
clusters:
- name: local
  cluster: {server: 'http://127.0.0.1:1', certificate-authority: ca.crt}
contexts:
- name: dev
  context: {cluster: local, user: me, namespace: team}
users:
- name: me
  user: {client-certificate: me.crt, client-key: /abs/me.key}
`, '/home/a/config');

const second = parseKubeconfigText(`
current-context: prod
clusters:
- name: local
  cluster: {server: 'http://elsewhere:2'}
- name: prod
  cluster: {server: 'https://prod:6443'}
contexts:
- name: dev
  context: {cluster: prod, user: robot}
- name: prod
  context: {cluster: prod, user: robot}
users:
- name: robot
  user: {token: abc}
`, '/etc/b/config');

describe('merging the files of $KUBECONFIG', () => {
  const merged = mergeKubeconfigDocuments([
    { path: '/home/a/config', doc: first },
    { path: '/etc/b/config', doc: second },
  ]);

  it('keeps the first current-context and the first definition of each name', () => {
    expect(merged['current-context']).toBe('dev');
    expect((merged['clusters'] as { name: string }[]).map((c) => c.name)).toEqual(['local', 'prod']);
    expect((merged['contexts'] as { name: string }[]).map((c) => c.name)).toEqual(['dev', 'prod']);
    expect(kubeconfigFromDocument(merged)).toMatchObject({ server: 'http://127.0.0.1:1', namespace: 'team' });
    expect(kubeconfigFromDocument(merged, { context: 'prod' })).toMatchObject({ server: 'https://prod:6443', namespace: 'default' });
  });

  it('resolves each entry\'s relative file paths against its own file', () => {
    const local = (merged['clusters'] as { name: string; cluster: Record<string, string> }[])[0]!;
    expect(local.cluster['certificate-authority']).toBe('/home/a/ca.crt');
    const me = (merged['users'] as { name: string; user: Record<string, string> }[])[0]!;
    expect(me.user).toEqual({ 'client-certificate': '/home/a/me.crt', 'client-key': '/abs/me.key' });
  });

  it('reads an empty file as an empty config, and a file without current-context defers to the next', () => {
    expect(parseKubeconfigText('', '/x')).toEqual({});
    const m = mergeKubeconfigDocuments([{ path: '/x', doc: {} }, { path: '/etc/b/config', doc: second }]);
    expect(m['current-context']).toBe('prod');
    expect(mergeKubeconfigDocuments([])['current-context']).toBe('');
    expect(() => parseKubeconfigText('- a list', '/y')).toThrow('kubeconfig /y is not a kubeconfig (not a mapping)');
  });
});
