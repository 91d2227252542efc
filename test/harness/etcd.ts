/**
 * A private etcd for one test suite: free loopback ports, a temporary data dir, stopped and
 * removed after the suite (and killed if the test process dies).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { startEtcd, type EtcdProcess } from '../../cli/etcdProcess';
import { tempDir } from './tmp';

export interface TestEtcd {
  readonly endpoint: string;
  /** The etcd process (tests may SIGSTOP it to simulate an unreachable store). */
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startTestEtcd(): Promise<TestEtcd> {
  const dir = await tempDir('etcd');
  let etcd: EtcdProcess;
  try {
    etcd = await startEtcd({ dataDir: dir.path });
  } catch (err) {
    await dir.remove();
    throw err;
  }
  return {
    endpoint: etcd.endpoint,
    pid: etcd.pid,
    stop: async () => {
      await etcd.stop();
      await dir.remove();
    },
  };
}

/** Starts etcd before the suite's tests and stops it after them; read `.endpoint` inside tests. */
export function useEtcd(): { readonly endpoint: string } {
  let etcd: TestEtcd | undefined;
  beforeAll(async () => {
    etcd = await startTestEtcd();
  }, 30_000);
  afterAll(async () => {
    await etcd?.stop();
  }, 30_000);
  return {
    get endpoint() {
      if (!etcd) throw new Error('etcd is not running (used outside a test?)');
      return etcd.endpoint;
    },
  };
}

/**
 * Stops a process (SIGSTOP) and waits until every one of its threads is stopped: the signal
 * reaches a busy multi-threaded process (etcd) a moment later, and until then it may still answer.
 */
export async function pauseProcess(pid: number, timeoutMs = 5_000): Promise<void> {
  process.kill(pid, 'SIGSTOP');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tasks = readdirSync(`/proc/${pid}/task`);
    const states = tasks.map((t) => {
      try {
        // The state is the field after the parenthesised command name.
        return readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
      } catch {
        return 'T'; // a thread that ended meanwhile
      }
    });
    if (states.every((s) => s === 'T' || s === 't')) return;
    if (Date.now() > deadline) throw new Error(`process ${pid} did not stop within ${timeoutMs} ms (thread states ${states.join('')})`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
