/**
 * `marina edit TYPE NAME | TYPE/NAME | -f FILE`: the object as YAML in $KUBE_EDITOR, else
 * $EDITOR, else vi; only what changed is sent, as a JSON merge patch (so what controllers
 * write meanwhile is neither a conflict nor overwritten). An unchanged or emptied file cancels.
 * When the server refuses the change: on a terminal the file is reopened with the error on top,
 * as kubectl does; otherwise (CI) the edit fails with one line saying where the changes were kept.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { parse } from 'yaml';
import type { KubeObject } from '../../api/kinds/kind';
import { createMergePatch } from '../../api/patch/mergePatch';
import { deepEqual } from '../../api/util/deepEqual';
import type { Cli } from './command';
import { collect } from './command';
import type { Session } from './context';
import { resourceLabel } from './discovery';
import { CliError, errorMessage } from './io';
import { toYaml, withoutManagedFields } from './printers';
import { getObject, namespaceOf, selectObjects, targetPath, type Target } from './resources';

interface EditOptions {
  readonly filename?: string[];
  readonly recursive?: boolean;
}

const header = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

export function editCommand(cli: Cli): Command {
  const cmd = new Command('edit')
    .description('Edit a resource in $KUBE_EDITOR / $EDITOR (the change is sent as a patch)')
    .argument('[type-and-name...]', 'TYPE NAME or TYPE/NAME')
    .option('-f, --filename <file>', 'the objects of these manifests', collect)
    .option('-R, --recursive', 'with -f DIR, read subdirectories too');
  return cli.verb<EditOptions>(cmd, async (ctx) => {
    const session = await ctx.session();
    const targets = await selectObjects(session, ctx.args, ctx.opts);
    for (const t of targets) await editOne(session, t);
    return 0;
  });
}

async function editOne(session: Session, t: Target): Promise<void> {
  const ns = namespaceOf(session, t);
  const original = withoutManagedFields(await getObject(session, t.resource, ns, t.name!));
  const dir = await mkdtemp(join(tmpdir(), 'marina-edit-'));
  const file = join(dir, `${t.resource.resource}-${t.name}.yaml`);
  let text = header + toYaml(original);
  const interactive = Boolean(session.io.stdin.isTTY);
  for (;;) {
    await writeFile(file, text);
    await runEditor(session, file);
    const after = await readFile(file, 'utf8');
    const content = after
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .join('\n');
    if (!content.trim() || after === text) {
      if (text.startsWith('# error:')) throw new CliError(`edit cancelled, no valid changes were saved; your changes are in ${file}`);
      session.io.stdout.write('Edit cancelled, no changes made.\n');
      return;
    }
    let problem: string;
    try {
      const edited = parse(content) as unknown;
      if (typeof edited !== 'object' || edited === null || Array.isArray(edited)) throw new Error('the file is not an object');
      if (deepEqual(edited, original)) {
        session.io.stdout.write('Edit cancelled, no changes made.\n');
        return;
      }
      // Only what the user changed is sent (no resourceVersion, as kubectl): a controller's
      // status update meanwhile is not a conflict, and is not overwritten either.
      const patch = createMergePatch(original, edited) as Record<string, unknown>;
      await session.client.patch<KubeObject>(targetPath(t.resource, ns, t.name), patch, 'merge');
      session.io.stdout.write(`${resourceLabel(t.resource)}/${t.name} edited\n`);
      return;
    } catch (err) {
      problem = errorMessage(err).replace(/\s*\n\s*/g, ' ');
    }
    if (!interactive) throw new CliError(`${resourceLabel(t.resource)}/${t.name}: ${problem}; your changes are in ${file}`);
    text = `# error: ${problem}\n#\n${header}${content}`;
  }
}

function runEditor(session: Session, file: string): Promise<void> {
  const editor = session.io.env.KUBE_EDITOR || session.io.env.EDITOR || 'vi';
  return new Promise((resolve, reject) => {
    // Through a shell, so an editor with arguments ("code --wait") works as in kubectl.
    const child = spawn('sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit', env: { ...process.env, ...session.io.env } });
    child.on('error', (err) => reject(new CliError(`cannot run the editor ${editor}: ${err.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new CliError(`the editor ${editor} exited with ${code ?? 'a signal'}; nothing was changed`))));
  });
}
