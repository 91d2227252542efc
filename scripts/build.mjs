// Compiles the TypeScript sources to dist/ (CommonJS) with swc: a whole build takes about a
// second, so `marina` starts from plain JavaScript. Type checking is `npm run typecheck` (tsc).
import { transformFile } from '@swc/core';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDirs = ['api', 'client', 'apiserver', 'controllers', 'scheduler', 'kubelet', 'cli', 'bench', 'examples'];
const distDir = join(root, 'dist');
// Build beside dist/ and swap it in at the end, so a running `marina` never sees a half-built tree.
const outDir = join(root, `.dist-build-${process.pid}`);

async function* sources(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return; // a component folder that does not exist yet
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) yield path;
  }
}

await rm(outDir, { recursive: true, force: true });
const jobs = [];
for (const dir of sourceDirs) {
  for await (const file of sources(join(root, dir))) {
    jobs.push(
      (async () => {
        const { code } = await transformFile(file, {
          jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
          module: { type: 'commonjs' },
          sourceMaps: 'inline',
        });
        const out = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
        await mkdir(dirname(out), { recursive: true });
        await writeFile(out, code);
      })(),
    );
  }
}
await Promise.all(jobs);
await mkdir(outDir, { recursive: true });
await writeFile(join(outDir, '.built'), new Date().toISOString() + '\n');
const oldDir = join(root, `.dist-old-${process.pid}`);
await rename(distDir, oldDir).catch(() => {});
await rename(outDir, distDir);
await rm(oldDir, { recursive: true, force: true });
console.error(`marina build: compiled ${jobs.length} files to dist/`);
