/**
 * Exec in a running container through `ctr tasks exec --exec-id ID`: ctr relays its own stdin,
 * stdout and stderr to the process and exits with the process's exit code. With a TTY ctr wants
 * a terminal of its own, so it runs under script(1) (a pseudo-terminal in raw mode); a resize
 * sets that terminal's size (`stty -F`), whose SIGWINCH makes ctr resize the process's terminal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, readlink } from 'node:fs/promises';
import type { ExecOptions, ExecSession } from '../interface';
import { runCommand } from '../../network/command';
import type { Ctr } from './ctr';
import { shellCommand } from './shell';

export interface ExecContext {
  readonly ctr: Ctr;
  /** Where ctr makes the exec's FIFOs. */
  readonly fifoDir: string;
}

/** Exit codes for an exec that could not start, as docker reports them. */
export const execNotFoundExitCode = 127;
export const execCannotRunExitCode = 126;

export function startExec(context: ExecContext, containerId: string, command: readonly string[], options: ExecOptions): Promise<ExecSession> {
  if (command.length === 0) return Promise.reject(new Error('exec: no command'));
  const { ctr } = context;
  const execId = `exec-${randomBytes(8).toString('hex')}`;
  const ctrArgs = ['tasks', 'exec', ...(options.tty ? ['-t'] : []), '--exec-id', execId, '--fifo-dir', context.fifoDir, containerId, ...command];
  let child: ChildProcess;
  let size = { width: 80, height: 24 };
  if (options.tty) {
    const inner = `stty raw -echo rows ${size.height} cols ${size.width} 2>/dev/null; exec ${shellCommand([ctr.binary, ...ctr.argv(ctrArgs)])}`;
    child = spawn('script', ['-q', '-f', '-e', '-E', 'never', '-c', inner, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  } else {
    child = ctr.spawn(ctrArgs, ['pipe', 'pipe', 'pipe']);
  }
  let stderrTail = '';
  child.stdout!.on('data', (chunk: Buffer) => options.stdout?.write(chunk));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4096);
    options.stderr?.write(chunk);
  });
  child.stdin!.on('error', () => {});
  if (options.stdin) {
    options.stdin.on('data', (chunk: Buffer | string) => {
      if (!child.stdin!.destroyed) child.stdin!.write(chunk);
    });
    options.stdin.on('end', () => child.stdin!.end());
    options.stdin.on('error', () => child.stdin!.end());
  } else if (!options.tty) {
    child.stdin!.end();
  }

  let finished = false;
  const killProcess = () => {
    if (finished) return;
    void ctr.exec(['tasks', 'kill', '--exec-id', execId, '--signal', 'SIGKILL', containerId]).finally(() => {
      setTimeout(() => child.kill('SIGKILL'), 2_000).unref();
    });
  };
  const timer = options.timeoutMs ? setTimeout(killProcess, options.timeoutMs) : undefined;
  options.signal?.addEventListener('abort', killProcess, { once: true });

  const exitCode = new Promise<number>((resolve, reject) => {
    child.once('error', (err) => {
      finished = true;
      if (timer) clearTimeout(timer);
      reject(new Error(`exec: cannot run ${options.tty ? 'script' : ctr.binary}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      finished = true;
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', killProcess);
      if (!options.tty && !child.stdin!.destroyed) child.stdin!.end();
      if (code !== 0 && /^ctr: .*(no running task found|container "[^"]*" in namespace "[^"]*": not found)/m.test(stderrTail)) {
        reject(new Error(`exec: container ${containerId} is not running`));
        return;
      }
      resolve(execExitCode(code, signal, stderrTail));
    });
  });

  const session: ExecSession = {
    exitCode,
    ...(options.tty
      ? {
          resize: (width: number, height: number) => {
            if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) return;
            size = { width, height };
            void resizeTerminal(child, size);
          },
        }
      : {}),
  };
  return Promise.resolve(session);
}

/** The exec's exit code from ctr's: ctr's own failures (exec could not start) become 126/127. */
export function execExitCode(code: number | null, signal: NodeJS.Signals | null, stderr: string): number {
  if (code === null) return signal === 'SIGKILL' ? 137 : 128 + 15;
  if (code !== 0 && /ctr: .*(OCI runtime exec failed|failed to (start|create) exec)/.test(stderr)) {
    return /executable file not found|no such file or directory/i.test(stderr) ? execNotFoundExitCode : execCannotRunExitCode;
  }
  return code;
}

/** Sets the size of the terminal script(1) made for ctr (found through the child's stdin). */
async function resizeTerminal(scriptProcess: ChildProcess, size: { width: number; height: number }): Promise<void> {
  const pid = scriptProcess.pid;
  if (!pid) return;
  for (let attempt = 0; attempt < 50; attempt++) {
    const tty = await childTerminal(pid);
    if (tty) {
      await runCommand('stty', ['-F', tty, 'rows', String(size.height), 'cols', String(size.width)]);
      return;
    }
    if (scriptProcess.exitCode !== null || scriptProcess.signalCode !== null) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function childTerminal(pid: number): Promise<string | undefined> {
  try {
    const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim().split(/\s+/).filter(Boolean);
    for (const child of children) {
      const target = await readlink(`/proc/${child}/fd/0`).catch(() => '');
      if (target.startsWith('/dev/pts/')) return target;
    }
  } catch {
    // script has not started its child yet, or is gone
  }
  return undefined;
}
