/**
 * The commands a fake container can exec (probes, `kubectl exec` in tests): true, false, exit N,
 * sh -c "exit N" / "echo …", echo, env, sleep N, and cat (stdin to stdout); anything else exits 0.
 */
import { sleep, type Clock } from '../../client/clock';
import type { FakeContainer } from './fake';
import type { ExecOptions } from './interface';

export async function builtinExec(c: FakeContainer, command: readonly string[], options: ExecOptions, clock: Clock): Promise<number> {
  const [cmd, ...args] = command;
  const out = (s: string) => options.stdout?.write(s);
  const exitOf = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : 0);
  switch (cmd) {
    case 'true':
      return 0;
    case 'false':
      return 1;
    case 'exit':
      return exitOf(args[0]);
    case 'sh':
    case '/bin/sh': {
      const script = args[0] === '-c' ? (args[1] ?? '') : '';
      const m = /^\s*exit\s+(\d+)\s*$/.exec(script);
      if (m) return Number(m[1]);
      if (/^\s*(true|:)?\s*$/.test(script)) return 0;
      if (/^\s*false\s*$/.test(script)) return 1;
      const echo = /^\s*echo\s+(.*)$/.exec(script);
      if (echo) {
        out(`${echo[1]!.replace(/^["']|["']$/g, '')}\n`);
        return 0;
      }
      return 0;
    }
    case 'echo':
      out(`${args.join(' ')}\n`);
      return 0;
    case 'env':
      out(c.spec.env.map((e) => `${e.name}=${e.value}\n`).join(''));
      return 0;
    case 'sleep':
      await sleep(Number(args[0] ?? '0') * 1000, options.signal, clock);
      return 0;
    case 'cat': {
      const stdin = options.stdin;
      if (!stdin) return 0;
      return new Promise<number>((resolve) => {
        stdin.on('data', (chunk: Buffer | string) => out(typeof chunk === 'string' ? chunk : chunk.toString('utf8')));
        stdin.on('end', () => resolve(0));
        stdin.on('error', () => resolve(1));
      });
    }
    default:
      return 0;
  }
}
