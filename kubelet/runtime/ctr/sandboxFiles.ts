/**
 * What a pod's containers share besides the network namespace: IPC and UTS namespaces kept alive
 * by bind mounts on files (`unshare --ipc=FILE --uts=FILE`, as `ip netns` does for networks; the
 * containers join them by path), and the /etc/hosts, /etc/resolv.conf and /etc/hostname files
 * bind-mounted into each of them.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SandboxSpec } from '../interface';
import { mustRun, runCommand } from '../../network/command';

export interface SandboxFiles {
  readonly hosts: string;
  readonly resolvConf: string;
  readonly hostname: string;
}

/** /etc/hosts of a pod: localhost, the pod's own name on its address, then the pod's host aliases. */
export function hostsFileContent(options: { hostname: string; ip?: string; aliases?: SandboxSpec['hostAliases']; hostNetwork?: boolean; hostHosts?: string }): string {
  let text: string;
  if (options.hostNetwork && options.hostHosts !== undefined) {
    text = options.hostHosts.endsWith('\n') || options.hostHosts === '' ? options.hostHosts : `${options.hostHosts}\n`;
  } else {
    text = [
      '# Kubernetes-managed hosts file (Marina).',
      '127.0.0.1\tlocalhost',
      '::1\tlocalhost ip6-localhost ip6-loopback',
      'fe00::0\tip6-localnet',
      'fe00::0\tip6-mcastprefix',
      'fe00::1\tip6-allnodes',
      'fe00::2\tip6-allrouters',
      ...(options.ip ? [`${options.ip}\t${options.hostname}`] : []),
      '',
    ].join('\n');
  }
  const aliases = options.aliases ?? [];
  if (aliases.length) {
    text += '\n# Entries added by HostAliases.\n';
    for (const a of aliases) text += `${a.ip}\t${a.hostnames.join('\t')}\n`;
  }
  return text;
}

/** /etc/resolv.conf of a pod: its DNS settings, else the host's file. */
export function resolvConfContent(dns: SandboxSpec['dns'], hostResolvConf: string): string {
  if (!dns) return hostResolvConf;
  const lines = [
    ...dns.nameservers.map((n) => `nameserver ${n}`),
    ...(dns.searches.length ? [`search ${dns.searches.join(' ')}`] : []),
    ...(dns.options.length ? [`options ${dns.options.join(' ')}`] : []),
  ];
  return lines.join('\n') + '\n';
}

export async function writeSandboxFiles(dir: string, spec: SandboxSpec, ip: string | undefined): Promise<SandboxFiles> {
  const [hostHosts, hostResolv] = await Promise.all([readFile('/etc/hosts', 'utf8').catch(() => ''), readFile('/etc/resolv.conf', 'utf8').catch(() => '')]);
  const files: SandboxFiles = { hosts: join(dir, 'hosts'), resolvConf: join(dir, 'resolv.conf'), hostname: join(dir, 'hostname') };
  await writeFile(
    files.hosts,
    hostsFileContent({ hostname: spec.hostname, ...(ip ? { ip } : {}), ...(spec.hostAliases ? { aliases: spec.hostAliases } : {}), hostNetwork: spec.hostNetwork, hostHosts }),
    { mode: 0o644 },
  );
  await writeFile(files.resolvConf, resolvConfContent(spec.dns, hostResolv), { mode: 0o644 });
  await writeFile(files.hostname, `${spec.hostNetwork ? (await readFile('/etc/hostname', 'utf8').catch(() => spec.hostname)).trim() : spec.hostname}\n`, { mode: 0o644 });
  return files;
}

/** Creates IPC (and, unless `uts` is false, UTS) namespaces held by bind mounts on files in `dir`. */
export async function createNamespaceHolders(dir: string, options: { uts: boolean }): Promise<{ ipc: string; uts?: string }> {
  const ipc = join(dir, 'ipc.ns');
  const uts = join(dir, 'uts.ns');
  await writeFile(ipc, '');
  if (options.uts) await writeFile(uts, '');
  await mustRun('unshare', [`--ipc=${ipc}`, ...(options.uts ? [`--uts=${uts}`] : []), 'true']);
  return options.uts ? { ipc, uts } : { ipc };
}

/** Releases the namespaces held in `dir` (idempotent). */
export async function removeNamespaceHolders(dir: string): Promise<void> {
  for (const file of [join(dir, 'ipc.ns'), join(dir, 'uts.ns')]) {
    await runCommand('umount', [file]);
    await rm(file, { force: true });
  }
}
