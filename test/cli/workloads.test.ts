/**
 * The CLI against a cluster with the workload controllers: a Deployment from YAML becomes
 * available under `apply --wait`, is scaled, updated, rolled back and deleted; a Job runs to
 * completion under `apply --wait`; a failing Job, a Deployment past its progress deadline and one
 * that is not ready in time make --wait fail in one line naming the object and why.
 */
import { jobsNamespace, useCliCluster } from './cliCluster';

const cluster = useCliCluster();

function deploymentYaml(name: string, image: string, replicas = 2): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: app
        image: ${image}
`;
}

function jobYaml(name: string, image: string): string {
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  namespace: ${jobsNamespace}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: ${image}
`;
}

const jsonpath = (args: string[], expr: string) => cluster.ok(['get', ...args, '-o', `jsonpath=${expr}`]);

describe('a Deployment through its life', () => {
  it('is applied and waited for, scaled, updated, rolled back and deleted', async () => {
    const file = await cluster.file('web.yaml', deploymentYaml('web', 'nginx:1.25'));
    const applied = await cluster.run(['apply', '-f', file, '--wait', '--timeout', '20s']);
    expect(applied).toMatchObject({ code: 0, stderr: '' });
    expect(applied.stdout).toBe('deployment.apps/web created\ndeployment.apps/web ready\n');
    expect(await jsonpath(['deploy', 'web'], '{.status.availableReplicas}')).toBe('2');

    // Applying the same file again changes nothing.
    expect(await cluster.ok(['apply', '-f', file])).toBe('deployment.apps/web unchanged\n');

    expect(await cluster.ok(['scale', 'deploy/web', '--replicas=3'])).toBe('deployment.apps/web scaled\n');
    expect(await cluster.ok(['wait', '--for=jsonpath={.status.readyReplicas}=3', 'deploy/web', '--timeout=20s'])).toBe('deployment.apps/web condition met\n');

    // A new image: a second revision; apply keeps the scaled replicas (not in the last-applied change).
    await cluster.file('web.yaml', deploymentYaml('web', 'nginx:1.26'));
    expect(await cluster.ok(['apply', '-f', file, '--wait', '--timeout=20s'])).toBe('deployment.apps/web configured\ndeployment.apps/web ready\n');
    expect(await jsonpath(['deploy', 'web'], '{.spec.template.spec.containers[0].image} {.spec.replicas}')).toBe('nginx:1.26 2');
    const history = await cluster.ok(['rollout', 'history', 'deployment/web']);
    expect(history).toMatch(/^deployment\.apps\/web \nREVISION +CHANGE-CAUSE\n1 +<none>\n2 +<none>\n\n$/);
    const first = await cluster.ok(['rollout', 'history', 'deployment/web', '--revision=1']);
    expect(first).toMatch(/^deployment\.apps\/web with revision #1\nPod Template:\n/);
    expect(first).toContain('image: nginx:1.25');
    expect(first).not.toContain('pod-template-hash');

    expect(await cluster.ok(['rollout', 'undo', 'deploy/web'])).toBe('deployment.apps/web rolled back\n');
    const status = await cluster.ok(['rollout', 'status', 'deploy/web', '--timeout=20s']);
    expect(status).toMatch(/deployment "web" successfully rolled out\n$/);
    expect(await jsonpath(['deploy', 'web'], '{.spec.template.spec.containers[0].image}')).toBe('nginx:1.25');

    expect(await cluster.ok(['rollout', 'pause', 'deploy/web'])).toBe('deployment.apps/web paused\n');
    expect(await cluster.run(['rollout', 'pause', 'deploy/web'])).toMatchObject({ code: 1, stderr: 'error: deployments.apps "web" is already paused\n' });
    expect(await cluster.ok(['rollout', 'resume', 'deploy/web'])).toBe('deployment.apps/web resumed\n');
    expect(await cluster.ok(['rollout', 'restart', 'deploy/web'])).toBe('deployment.apps/web restarted\n');
    // On a terminal, progress is a spinner line on stderr, cleared at the end.
    const onTty = await cluster.run(['rollout', 'status', 'deploy/web', '--timeout=20s'], { tty: true });
    expect(onTty.code).toBe(0);
    expect(onTty.stdout).toBe('deployment "web" successfully rolled out\n');
    expect(onTty.stderr === '' || onTty.stderr.endsWith('\r\x1b[2K')).toBe(true);

    expect(await cluster.ok(['delete', '-f', file, '--cascade=foreground', '--timeout=20s'])).toBe('deployment.apps "web" deleted\n');
    const gone = await cluster.run(['get', 'deploy', 'web']);
    expect(gone).toMatchObject({ code: 1, stderr: 'error: deployments.apps "web" not found\n' });
    expect(await cluster.run(['get', 'rs,pods', '-l', 'app=web'])).toMatchObject({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
  }, 60_000);
});

describe('apply --wait: Jobs, and what does not become ready', () => {
  it('waits for a Job to complete', async () => {
    const file = await cluster.file('job-ok.yaml', jobYaml('ok', 'busybox'));
    const r = await cluster.run(['apply', '-f', file, '--wait', '--timeout=20s']);
    expect(r).toMatchObject({ code: 0, stdout: 'job.batch/ok created\njob.batch/ok ready\n', stderr: '' });
    expect(await cluster.ok(['get', 'job', 'ok', '-n', jobsNamespace, '-o', 'jsonpath={.status.succeeded}'])).toBe('1');
  }, 30_000);

  it('fails fast on a failed Job, naming it and saying why', async () => {
    const file = await cluster.file('job-bad.yaml', jobYaml('bad', 'fail:1'));
    const started = Date.now();
    const r = await cluster.run(['apply', '-f', file, '--wait', '--timeout=60s']);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('job.batch/bad created\n');
    expect(r.stderr.split('\n')).toHaveLength(2); // one line
    expect(r.stderr).toMatch(/^error: job-bad\.yaml: Job "bad" failed: job "bad" failed: BackoffLimitExceeded.*condition Failed=True BackoffLimitExceeded/);
  }, 40_000);

  it('times out on a Deployment that does not become available, saying how far it got, in one line', async () => {
    // In the jobs namespace its pods exit at once: it never becomes available.
    const file = await cluster.file('stuck.yaml', deploymentYaml('stuck', 'nginx', 1).replace('name: stuck\n', `name: stuck\n  namespace: ${jobsNamespace}\n`));
    const r = await cluster.run(['apply', '-f', file, '--wait', '--timeout=1s']);
    expect(r).toMatchObject({ code: 1, stdout: 'deployment.apps/stuck created\n' });
    expect(r.stderr).toMatch(/^error: stuck\.yaml: Deployment "stuck" not ready after 1s: Waiting for deployment /);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  }, 30_000);

  it('fails fast on a Deployment past its progress deadline, with its conditions and events', async () => {
    const yaml = deploymentYaml('late', 'nginx', 1).replace('name: late\n', `name: late\n  namespace: ${jobsNamespace}\n`).replace('  replicas: 1\n', '  replicas: 1\n  progressDeadlineSeconds: 1\n');
    const file = await cluster.file('late.yaml', yaml);
    const started = Date.now();
    const r = await cluster.run(['apply', '-f', file, '--wait', '--timeout=60s']);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: late\.yaml: Deployment "late" failed: deployment "late" exceeded its progress deadline; .*condition Progressing=False ProgressDeadlineExceeded/);
    expect(r.stderr).toMatch(/; event Normal ScalingReplicaSet \(deployment\/late\): Scaled up replica set late-/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  }, 40_000);
});
