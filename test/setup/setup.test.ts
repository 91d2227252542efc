/**
 * scripts/setup.sh: a no-op when everything is installed, and one clear line (exit 1) when a
 * Debian package is missing and it is not running as root. `dpkg-query` and `id` are replaced by
 * stubs on PATH so the test never installs anything.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '../..');

function runSetup(env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', [join(repo, 'scripts/setup.sh')], { env, cwd: repo }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let stubs: string;
beforeAll(async () => {
  stubs = await mkdtemp(join(tmpdir(), 'marina-setup-'));
  // etcd-server is "missing"; every other package is installed.
  await writeFile(
    join(stubs, 'dpkg-query'),
    '#!/bin/sh\nfor last; do :; done\n[ "$last" = etcd-server ] && exit 1\nprintf "install ok installed"\n',
  );
  await writeFile(join(stubs, 'id'), '#!/bin/sh\necho 1000\n');
  await chmod(join(stubs, 'dpkg-query'), 0o755);
  await chmod(join(stubs, 'id'), 0o755);
});
afterAll(() => rm(stubs, { recursive: true, force: true }));

describe('scripts/setup.sh', () => {
  it('is a no-op when everything is installed', async () => {
    // The first run may rebuild dist/ after a source edit; the second has nothing left to do.
    expect((await runSetup(process.env)).code).toBe(0);
    expect(await runSetup(process.env)).toEqual({ code: 0, stdout: '', stderr: '' });
  }, 60_000);

  it('names what to install in one line, and fails, when not root and a package is missing', async () => {
    const result = await runSetup({ ...process.env, PATH: `${stubs}:${process.env.PATH}` });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual(['marina setup: missing Debian packages; install them with: sudo apt-get install -y etcd-server']);
  });
});
