/**
 * Pod sandboxes: what a pod's containers share. The network namespace comes from the pod network
 * (CNI; none for hostNetwork pods), IPC and UTS namespaces are held by bind mounts, and
 * /etc/hosts, /etc/resolv.conf and /etc/hostname are files in the sandbox's directory
 * (<stateDir>/sandboxes/<pod uid>/), whose sandbox.json records the rest for a restarted agent.
 */
import { mkdir, readFile, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KeyedLock } from '../../network/keyedLock';
import { netnsExists } from '../../network/netns';
import type { PodNetwork } from '../../network/podNetwork';
import type { Sandbox, SandboxSpec } from '../interface';
import { mountsUnder } from './mounts';
import { createNamespaceHolders, removeNamespaceHolders, writeSandboxFiles, type SandboxFiles } from './sandboxFiles';

export interface SandboxRecord {
  readonly podUid: string;
  readonly podName: string;
  readonly namespace: string;
  readonly hostname: string;
  readonly hostNetwork: boolean;
  readonly netnsPath?: string;
  readonly ips: readonly string[];
  /** Namespace holders the containers join. */
  readonly ipcPath: string;
  readonly utsPath?: string;
  readonly files: SandboxFiles;
  readonly createdAt: string;
}

export class Sandboxes {
  private readonly dir: string;
  private readonly locks = new KeyedLock();
  /**
   * Records read or written, by pod uid: they change only through this object (one agent per
   * state dir), and every pod sync lists the sandboxes, so reading each file every time was N² work.
   */
  private readonly cache = new Map<string, SandboxRecord>();

  constructor(
    stateDir: string,
    /** Undefined: only hostNetwork pods can run. */
    private readonly network: PodNetwork | undefined,
  ) {
    this.dir = join(stateDir, 'sandboxes');
  }

  /** Creates the pod's sandbox, or returns the one it has (idempotent). */
  create(spec: SandboxSpec): Promise<Sandbox> {
    return this.locks.run(spec.podUid, async () => {
      const existing = await this.get(spec.podUid);
      if (existing && (await intact(existing))) return toSandbox(existing);
      if (existing) await this.removeNow(spec.podUid); // e.g. after a reboot: its namespaces are gone
      const dir = this.sandboxDir(spec.podUid);
      await mkdir(dir, { recursive: true });
      try {
        let netnsPath: string | undefined;
        let ips: readonly string[] = [];
        if (!spec.hostNetwork) {
          if (!this.network) throw new Error('no pod network is configured (a pod CIDR is needed): only hostNetwork pods can run');
          const attachment = await this.network.setUp({ uid: spec.podUid, name: spec.podName, namespace: spec.namespace });
          netnsPath = attachment.netnsPath;
          ips = attachment.ips;
        }
        const holders = await createNamespaceHolders(dir, { uts: !spec.hostNetwork });
        const files = await writeSandboxFiles(dir, spec, ips[0]);
        const record: SandboxRecord = {
          podUid: spec.podUid,
          podName: spec.podName,
          namespace: spec.namespace,
          hostname: spec.hostname,
          hostNetwork: spec.hostNetwork,
          ...(netnsPath ? { netnsPath } : {}),
          ips,
          ipcPath: holders.ipc,
          ...(holders.uts ? { utsPath: holders.uts } : {}),
          files,
          createdAt: new Date().toISOString(),
        };
        await writeFile(join(dir, 'sandbox.json'), JSON.stringify(record, null, 2) + '\n');
        this.cache.set(spec.podUid, record);
        return toSandbox(record);
      } catch (err) {
        await this.removeNow(spec.podUid).catch(() => {});
        throw err;
      }
    });
  }

  /** Tears down the pod's network and namespaces and deletes its directory. Idempotent. */
  remove(podUid: string): Promise<void> {
    return this.locks.run(podUid, () => this.removeNow(podUid));
  }

  async get(podUid: string): Promise<SandboxRecord | undefined> {
    const cached = this.cache.get(podUid);
    if (cached) return cached;
    try {
      const parsed: unknown = JSON.parse(await readFile(join(this.sandboxDir(podUid), 'sandbox.json'), 'utf8'));
      const rec = parsed as SandboxRecord;
      if (!(rec && typeof rec === 'object' && rec.podUid === podUid && rec.files)) return undefined;
      this.cache.set(podUid, rec);
      return rec;
    } catch {
      return undefined;
    }
  }

  async list(): Promise<Sandbox[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const out: Sandbox[] = [];
    for (const name of names) {
      const rec = /^[A-Za-z0-9_.-]+$/.test(name) ? await this.get(name) : undefined;
      if (rec) out.push(toSandbox(rec));
    }
    return out;
  }

  private async removeNow(podUid: string): Promise<void> {
    const dir = this.sandboxDir(podUid);
    this.cache.delete(podUid);
    await this.network?.tearDown(podUid);
    await removeNamespaceHolders(dir);
    await rm(dir, { recursive: true, force: true });
  }

  private sandboxDir(podUid: string): string {
    if (!/^[A-Za-z0-9_.-]{1,200}$/.test(podUid) || podUid === '.' || podUid === '..') throw new Error(`invalid pod uid ${JSON.stringify(podUid)}`);
    return join(this.dir, podUid);
  }

}

/** Whether the namespaces the sandbox's record names still exist (they do not survive a reboot). */
async function intact(rec: SandboxRecord): Promise<boolean> {
  // Mount points are listed by their real paths: compare names within the real directory.
  const dir = await realpath(dirname(rec.ipcPath)).catch(() => undefined);
  if (!dir) return false;
  const mounted = new Set((await mountsUnder(dir)).map((p) => basename(p)));
  if (!mounted.has(basename(rec.ipcPath)) || (rec.utsPath && !mounted.has(basename(rec.utsPath)))) return false;
  return !rec.netnsPath || (await netnsExists(basename(rec.netnsPath)));
}

function toSandbox(rec: SandboxRecord): Sandbox {
  return { id: rec.podUid, podUid: rec.podUid, ...(rec.netnsPath ? { netnsPath: rec.netnsPath } : {}), ...(rec.ips[0] ? { ip: rec.ips[0] } : {}), ips: rec.ips };
}
