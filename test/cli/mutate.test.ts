/**
 * The verbs that change objects: create, label, annotate, patch, edit, diff, wait and delete
 * (with its selectors, cascade and waiting), and the kubeconfig verbs.
 */
import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { useCliCluster } from './cliCluster';

const cluster = useCliCluster();
const get = (path: string) => cluster.plane.client.get<Record<string, any>>(path);
const gone = (path: string) => get(path).then(() => false, () => true);

describe('create', () => {
  it('creates namespaces, configmaps and generic secrets from literals and files', async () => {
    expect(await cluster.ok(['create', 'namespace', 'made'])).toBe('namespace/made created\n');
    await cluster.file('settings.conf', 'mode=fast\n');
    await cluster.file('app.env', '# comment\nA=1\nB=two\n');
    expect(await cluster.ok(['create', 'configmap', 'cfg', '-n', 'made', '--from-literal=x=1', '--from-file=settings.conf', '--from-env-file=app.env'])).toBe('configmap/cfg created\n');
    expect((await get('/api/v1/namespaces/made/configmaps/cfg')).data).toEqual({ x: '1', 'settings.conf': 'mode=fast\n', A: '1', B: 'two' });
    expect(await cluster.ok(['create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret', '--from-file=key=settings.conf'])).toBe('secret/creds created\n');
    const secret = await get('/api/v1/namespaces/default/secrets/creds');
    expect(secret.type).toBe('Opaque');
    expect(Buffer.from(secret.data.password, 'base64').toString()).toBe('s3cret');
    expect(Buffer.from(secret.data.key, 'base64').toString()).toBe('mode=fast\n');
    expect(await cluster.ok(['create', 'cm', 'preview', '--from-literal=a=b', '--dry-run=client', '-o', 'yaml'])).toBe('apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n  name: preview\n');
    expect(await gone('/api/v1/namespaces/default/configmaps/preview')).toBe(true);
    expect(await cluster.run(['create', 'namespace', 'made'])).toEqual({ code: 1, stdout: '', stderr: 'error: namespaces "made" already exists\n' });
    expect((await cluster.run(['create', 'configmap'])).code).toBe(2);
    expect((await cluster.run(['create', 'configmap', 'bad', '--from-literal=novalue'])).code).toBe(2);
    await cluster.file('created.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-file}\n');
    expect(await cluster.ok(['create', '-f', 'created.yaml'])).toBe('configmap/from-file created\n');
  });
});

describe('label, annotate, patch', () => {
  it('labels and annotates, refusing to overwrite without --overwrite', async () => {
    await cluster.ok(['create', 'cm', 'meta', '--from-literal=a=1']);
    expect(await cluster.ok(['label', 'cm', 'meta', 'team=blue', 'env=dev'])).toBe('configmap/meta labeled\n');
    expect(await cluster.run(['label', 'cm/meta', 'team=red'])).toEqual({ code: 1, stdout: '', stderr: "error: 'team' already has a value (blue), and --overwrite is false\n" });
    expect(await cluster.ok(['label', 'cm/meta', 'team=red', 'env-', '--overwrite'])).toBe('configmap/meta labeled\n');
    expect((await get('/api/v1/namespaces/default/configmaps/meta')).metadata.labels).toEqual({ team: 'red' });
    expect(await cluster.ok(['label', 'cm', 'meta', '--list'])).toBe('team=red\n');
    expect(await cluster.ok(['annotate', 'cm', 'meta', 'note=hello world'])).toBe('configmap/meta annotated\n');
    expect(await cluster.ok(['annotate', 'cm', '-l', 'team=red', 'note-'])).toBe('configmap/meta annotated\n');
    expect((await get('/api/v1/namespaces/default/configmaps/meta')).metadata.annotations ?? {}).toEqual({});
    expect((await cluster.run(['label', 'cm', 'meta'])).code).toBe(2);
  });

  it('patches with strategic, merge and JSON patches', async () => {
    await cluster.file('p.yaml', `apiVersion: apps/v1
kind: Deployment
metadata: {name: patched}
spec:
  replicas: 1
  selector: {matchLabels: {app: patched}}
  template:
    metadata: {labels: {app: patched}}
    spec:
      containers: [{name: a, image: one}, {name: b, image: two}]
`);
    await cluster.ok(['apply', '-f', 'p.yaml']);
    expect(await cluster.ok(['patch', 'deploy', 'patched', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"three"}]}}}}'])).toBe('deployment.apps/patched patched\n');
    const images = async () => (await get('/apis/apps/v1/namespaces/default/deployments/patched')).spec.template.spec.containers.map((c: { image: string }) => c.image);
    expect(await images()).toEqual(['one', 'three']);
    expect(await cluster.ok(['patch', 'deploy/patched', '--type=merge', '-p', 'spec: {replicas: 2}'])).toBe('deployment.apps/patched patched\n');
    expect(await cluster.ok(['patch', 'deploy/patched', '--type=merge', '-p', '{"spec":{"replicas":2}}'])).toBe('deployment.apps/patched patched (no change)\n');
    expect(await cluster.ok(['patch', 'deploy/patched', '--type=json', '-p', '[{"op":"remove","path":"/spec/template/spec/containers/1"}]'])).toBe('deployment.apps/patched patched\n');
    expect(await images()).toEqual(['one']);
    const bad = await cluster.run(['patch', 'deploy/patched', '--type=merge', '-p', '{"spec":{"replicas":-5}}']);
    expect(bad).toEqual({ code: 1, stdout: '', stderr: 'error: spec.replicas: Invalid value: -5: must be greater than or equal to 0\n' });
    expect((await cluster.run(['patch', 'deploy/patched', '--type=xml', '-p', '{}'])).code).toBe(2);
    expect((await cluster.run(['patch', 'deploy/patched'])).code).toBe(2);
  });
});

describe('edit', () => {
  it('sends what the editor changed, and cancels when nothing changed', async () => {
    await cluster.ok(['create', 'cm', 'edited', '--from-literal=color=red']);
    const editor = join(cluster.dir, 'editor.sh');
    await cluster.file('editor.sh', '#!/bin/sh\nsed -i "s/color: red/color: blue/" "$1"\n');
    await chmod(editor, 0o755);
    expect(await cluster.ok(['edit', 'cm', 'edited'], { env: { EDITOR: editor } })).toBe('configmap/edited edited\n');
    expect((await get('/api/v1/namespaces/default/configmaps/edited')).data).toEqual({ color: 'blue' });
    expect(await cluster.ok(['edit', 'cm/edited'], { env: { KUBE_EDITOR: 'true' } })).toBe('Edit cancelled, no changes made.\n');
  });

  it('fails with one line saying where the changes are when the server refuses them (no terminal)', async () => {
    await cluster.file('p2.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ed}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: ed}}\n  template:\n    metadata: {labels: {app: ed}}\n    spec:\n      containers: [{name: a, image: one}]\n');
    await cluster.ok(['apply', '-f', 'p2.yaml']);
    await cluster.file('bad-editor.sh', '#!/bin/sh\nsed -i "s/^  replicas: 1/  replicas: -1/" "$1"\n');
    await chmod(join(cluster.dir, 'bad-editor.sh'), 0o755);
    const r = await cluster.run(['edit', 'deploy', 'ed'], { env: { EDITOR: join(cluster.dir, 'bad-editor.sh') } });
    expect(r).toMatchObject({ code: 1, stdout: '' });
    const m = /^error: deployment\.apps\/ed: spec\.replicas: Invalid value: -1: must be greater than or equal to 0; your changes are in (\S+)\n$/.exec(r.stderr);
    if (!m) throw new Error(`unexpected stderr: ${r.stderr}`);
    expect(await readFile(m![1]!, 'utf8')).toContain('replicas: -1');
    expect((await get('/apis/apps/v1/namespaces/default/deployments/ed')).spec.replicas).toBe(1);
  });
});

describe('edit on a terminal', () => {
  it('reopens the file with the error on top until the change is accepted', async () => {
    await cluster.file('p3.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ed2}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: ed2}}\n  template:\n    metadata: {labels: {app: ed2}}\n    spec:\n      containers: [{name: a, image: one}]\n');
    await cluster.ok(['apply', '-f', 'p3.yaml']);
    // The first edit is refused; the second sees the error and fixes it.
    await cluster.file('fix-editor.sh', '#!/bin/sh\nif grep -q "^# error: spec.replicas" "$1"; then sed -i "s/^  replicas: -1/  replicas: 3/" "$1"; else sed -i "s/^  replicas: 1/  replicas: -1/" "$1"; fi\n');
    await chmod(join(cluster.dir, 'fix-editor.sh'), 0o755);
    const stdin = Object.assign(Readable.from([]), { isTTY: true });
    const r = await cluster.run(['edit', 'deploy/ed2'], { env: { EDITOR: join(cluster.dir, 'fix-editor.sh') }, stdin, tty: true });
    expect(r).toEqual({ code: 0, stdout: 'deployment.apps/ed2 edited\n', stderr: '' });
    expect((await get('/apis/apps/v1/namespaces/default/deployments/ed2')).spec.replicas).toBe(3);
  });
});

describe('diff', () => {
  it('exits 0 when nothing would change and 1 with a unified diff when something would', async () => {
    await cluster.file('d.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: differ}\ndata: {a: "1"}\n');
    const before = await cluster.run(['diff', '-f', 'd.yaml']);
    expect(before.code).toBe(1); // it does not exist yet: all of it is new
    expect(before.stdout).toMatch(/^\+kind: ConfigMap$/m);
    await cluster.ok(['apply', '-f', 'd.yaml']);
    expect(await cluster.run(['diff', '-f', 'd.yaml'])).toEqual({ code: 0, stdout: '', stderr: '' });
    await cluster.file('d.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: differ}\ndata: {a: "2"}\n');
    const changed = await cluster.run(['diff', '-f', 'd.yaml']);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/^-  a: "1"\n\+  a: "2"$/m);
    expect((await get('/api/v1/namespaces/default/configmaps/differ')).data).toEqual({ a: '1' });
  });
});

describe('wait and delete', () => {
  it('waits for conditions, jsonpath values and deletion, with a timeout', async () => {
    await cluster.file('w.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: waited}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: waited}}\n  template:\n    metadata: {labels: {app: waited}}\n    spec:\n      containers: [{name: a, image: one}]\n');
    await cluster.ok(['apply', '-f', 'w.yaml']);
    expect(await cluster.ok(['wait', '--for=condition=Available', 'deploy/waited', '--timeout=20s'])).toBe('deployment.apps/waited condition met\n');
    expect(await cluster.ok(['wait', '--for=jsonpath={.status.readyReplicas}=2', 'deployment', 'waited'])).toBe('deployment.apps/waited condition met\n');
    expect(await cluster.run(['wait', '--for=condition=Nonexistent', 'deploy/waited', '--timeout=300ms'])).toEqual({ code: 1, stdout: '', stderr: 'error: timed out waiting for the condition on deployments.apps/waited\n' });
    expect((await cluster.run(['wait', 'deploy/waited'])).code).toBe(2);
    expect((await cluster.run(['wait', '--for=sunshine', 'deploy/waited'])).code).toBe(2);

    const waiter = cluster.start(['wait', '--for=delete', 'deploy/waited', '--timeout=20s']);
    expect(await cluster.ok(['delete', 'deploy', 'waited', '--wait=false'])).toBe('deployment.apps "waited" deleted\n');
    expect(await waiter.done).toBe(0);
    expect(waiter.io.stdout.text()).toBe('deployment.apps/waited condition met\n');
  });

  it('deletes by label, with --all, and waits until the objects are gone', async () => {
    for (const n of ['d1', 'd2', 'd3']) await cluster.ok(['create', 'cm', n]);
    await cluster.ok(['label', 'cm', 'd1', 'd2', 'del=yes']);
    expect(await cluster.ok(['delete', 'cm', '-l', 'del=yes'])).toBe('configmap "d1" deleted\nconfigmap "d2" deleted\n');
    expect(await gone('/api/v1/namespaces/default/configmaps/d1')).toBe(true);
    expect(await cluster.run(['delete', 'cm', 'd1'])).toEqual({ code: 1, stdout: '', stderr: 'error: configmaps "d1" not found\n' });
    expect(await cluster.run(['delete', 'cm', 'd1', '--ignore-not-found'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await cluster.ok(['delete', 'cm/d3', '-o', 'name'])).toBe('configmap/d3\n');
    expect((await cluster.run(['delete', 'cm'])).code).toBe(2);
    expect((await cluster.run(['delete', 'cm', 'x', '--cascade=sideways'])).code).toBe(2);
    await cluster.ok(['create', 'namespace', 'emptied']);
    for (const n of ['e1', 'e2']) await cluster.ok(['create', 'cm', n, '-n', 'emptied']);
    const all = await cluster.ok(['delete', 'cm', '--all', '-n', 'emptied']);
    expect(all).toContain('configmap "e1" deleted\nconfigmap "e2" deleted\n');
  });

  it('cascades: orphan keeps the pods, foreground waits for them', async () => {
    await cluster.file('c.yaml', 'apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: casc}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: casc}}\n  template:\n    metadata: {labels: {app: casc}}\n    spec:\n      containers: [{name: a, image: one}]\n');
    await cluster.ok(['apply', '-f', 'c.yaml', '--wait', '--timeout=20s']);
    expect(await cluster.ok(['delete', 'rs', 'casc', '--cascade=orphan', '--timeout=20s'])).toBe('replicaset.apps "casc" deleted\n');
    const orphans = JSON.parse(await cluster.ok(['get', 'pods', '-l', 'app=casc', '-o', 'json']));
    expect(orphans.items).toHaveLength(1);
    expect(orphans.items[0].metadata.ownerReferences ?? []).toEqual([]);
    await cluster.ok(['delete', 'pods', '-l', 'app=casc', '--grace-period=0', '--timeout=20s']);
    await cluster.ok(['apply', '-f', 'c.yaml', '--wait', '--timeout=20s']);
    expect(await cluster.ok(['delete', '-f', 'c.yaml', '--cascade=foreground', '--timeout=20s'])).toBe('replicaset.apps "casc" deleted\n');
    expect(await cluster.run(['get', 'pods', '-l', 'app=casc'])).toMatchObject({ stdout: '' });
  });
});
