/** The kubeconfig `marina up` writes (DATA_DIR/kubeconfig): one cluster, no credentials (plain HTTP on loopback). */
export function kubeconfigYaml(server: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: marina',
    '  cluster:',
    `    server: ${server}`,
    'contexts:',
    '- name: marina',
    '  context:',
    '    cluster: marina',
    '    user: marina',
    'current-context: marina',
    'users:',
    '- name: marina',
    '  user: {}',
    '',
  ].join('\n');
}
