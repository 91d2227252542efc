/**
 * Termination messages (the kubelet's terminationMessagePath handling): each container instance
 * gets an empty host file bind-mounted at its terminationMessagePath; once it has exited, the
 * file's content (at most 4096 bytes) is its terminated state's message, or, with policy
 * FallbackToLogsOnError and a failure, the end of its log (80 lines, 2048 bytes at most).
 */
import { chmod, mkdir, open, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Container } from '../../api/kinds/core/container';
import type { Pod } from '../../api/kinds/core/pod';
import type { Mount } from '../runtime/interface';
import { readLogLines } from '../logs/containerLog';
import { containerLogPath, podDir } from './containerStarter';
import type { RuntimeContainer } from './runtimeState';

const maxMessageBytes = 4096;

export function terminationMessageFile(rootDir: string, uid: string, name: string, restartCount: number): string {
  return join(podDir(rootDir, uid), 'containers', name, `${restartCount}-termination-log`);
}

/** Creates the instance's (empty, world-writable) message file; the mount for it. */
export async function terminationMessageMount(rootDir: string, pod: Pod, container: Container, restartCount: number): Promise<Mount | undefined> {
  const target = container.terminationMessagePath;
  if (!target) return undefined;
  const file = terminationMessageFile(rootDir, pod.metadata?.uid ?? '', container.name, restartCount);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, '');
  await chmod(file, 0o666);
  return { hostPath: file, containerPath: target, readOnly: false };
}

/** The messages of the pod's exited instances, by container id. */
export async function terminationMessages(rootDir: string, pod: Pod, containers: readonly RuntimeContainer[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const specs = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const c of containers) {
    if (c.state !== 'exited') continue;
    const spec = specs.find((s) => s.name === c.name);
    if (!spec?.terminationMessagePath) continue;
    let message = await readHead(terminationMessageFile(rootDir, pod.metadata?.uid ?? '', c.name, c.restartCount));
    if (!message && spec.terminationMessagePolicy === 'FallbackToLogsOnError' && (c.exitCode ?? 0) !== 0) {
      const lines = (await readLogLines(containerLogPath(rootDir, pod, c.name, c.restartCount)).catch(() => [])).slice(-80).map((l) => l.text);
      message = Buffer.from(lines.join('\n')).subarray(-2048).toString('utf8');
    }
    if (message) out.set(c.id, message);
  }
  return out;
}

async function readHead(file: string): Promise<string> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return '';
  try {
    const buf = Buffer.alloc(maxMessageBytes);
    const { bytesRead } = await handle.read(buf, 0, maxMessageBytes, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

