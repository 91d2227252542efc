/**
 * The OCI runtime spec (config.json) of a container, written by us and given to
 * `ctr containers create --config`: ctr's own flags cannot set the user, the hostname, the cgroup
 * path or join IPC/UTS namespaces, so the whole spec is ours. Pure functions: unit-tested.
 */
import type { ContainerSpec, Mount } from '../interface';
import type { ImageRunConfig } from './images';

export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

export interface OciSpec {
  ociVersion: string;
  process: {
    terminal: boolean;
    user: { uid: number; gid: number; additionalGids?: number[] };
    args: string[];
    env: string[];
    cwd: string;
    capabilities: { bounding: string[]; effective: string[]; permitted: string[] };
    rlimits: { type: string; hard: number; soft: number }[];
    noNewPrivileges: boolean;
  };
  root: { path: string; readonly?: boolean };
  hostname?: string;
  mounts: OciMount[];
  annotations?: Record<string, string>;
  linux: {
    resources: {
      devices: { allow: boolean; access: string; type?: string; major?: number; minor?: number }[];
      memory?: { limit: number };
      cpu?: { quota: number; period: number };
    };
    cgroupsPath: string;
    namespaces: { type: string; path?: string }[];
    maskedPaths: string[];
    readonlyPaths: string[];
  };
}

export interface OciSpecInput {
  readonly rootfs: string;
  readonly args: readonly string[];
  readonly env: readonly string[];
  readonly cwd: string;
  readonly uid: number;
  readonly gid: number;
  readonly additionalGids?: readonly number[];
  readonly terminal: boolean;
  readonly hostname?: string;
  /**
   * Per namespace: a path to join (the pod's), 'host' to share the host's, or absent for a new one.
   * The PID and mount namespaces are always the container's own.
   */
  readonly namespaces: { readonly network?: string; readonly ipc?: string; readonly uts?: string };
  /** Bind mounts: the pod's /etc files first, then the container's volumes. */
  readonly mounts: readonly Mount[];
  readonly cgroupsPath: string;
  readonly memoryBytes?: number;
  readonly milliCPU?: number;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The capabilities containerd gives a container by default (docker's list). */
export const defaultCapabilities: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

export const cpuPeriod = 100_000;

export function buildOciSpec(input: OciSpecInput): OciSpec {
  const caps = [...defaultCapabilities];
  const root = input.uid === 0;
  const namespaces: { type: string; path?: string }[] = [{ type: 'pid' }, { type: 'mount' }];
  for (const type of ['network', 'ipc', 'uts'] as const) {
    const ns = input.namespaces[type];
    if (ns === 'host') continue;
    namespaces.push(ns ? { type, path: ns } : { type });
  }
  const shareHostUts = input.namespaces.uts === 'host';
  const spec: OciSpec = {
    ociVersion: '1.0.2-dev',
    process: {
      terminal: input.terminal,
      user: { uid: input.uid, gid: input.gid, ...(input.additionalGids?.length ? { additionalGids: [...input.additionalGids] } : {}) },
      args: [...input.args],
      env: [...input.env],
      cwd: input.cwd || '/',
      // A non-root process gets no effective capabilities (as docker and Kubernetes do).
      capabilities: { bounding: caps, effective: root ? caps : [], permitted: root ? caps : [] },
      rlimits: [], // inherited from the shim: a fixed limit may exceed what this host allows
      noNewPrivileges: true,
    },
    root: { path: input.rootfs },
    ...(input.hostname && !shareHostUts ? { hostname: input.hostname } : {}),
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
      { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
      ...input.mounts.map((m): OciMount => ({
        destination: m.containerPath,
        type: 'bind',
        source: m.hostPath,
        options: ['rbind', 'rprivate', m.readOnly ? 'ro' : 'rw'],
      })),
    ],
    ...(input.annotations && Object.keys(input.annotations).length ? { annotations: { ...input.annotations } } : {}),
    linux: {
      resources: {
        devices: [{ allow: false, access: 'rwm' }],
        ...(input.memoryBytes && input.memoryBytes > 0 ? { memory: { limit: Math.floor(input.memoryBytes) } } : {}),
        ...(input.milliCPU && input.milliCPU > 0 ? { cpu: { quota: cpuQuota(input.milliCPU), period: cpuPeriod } } : {}),
      },
      cgroupsPath: input.cgroupsPath,
      namespaces,
      maskedPaths: [
        '/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
        '/proc/timer_stats', '/proc/sched_debug', '/sys/firmware', '/proc/scsi',
      ],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
  return spec;
}

/** CFS quota for a CPU limit in millicores (Kubernetes' conversion, at least 1 ms per period). */
export function cpuQuota(milliCPU: number): number {
  return Math.max(1000, Math.floor((milliCPU * cpuPeriod) / 1000));
}

/**
 * The process a container runs, as Kubernetes decides it: `command` replaces the image's
 * entrypoint (and then the image's cmd is dropped), `args` replace the image's cmd; the pod's env
 * overrides the image's by name; the working dir defaults to the image's, then `/`.
 */
export function resolveProcess(spec: Pick<ContainerSpec, 'command' | 'args' | 'env' | 'workingDir'>, image: ImageRunConfig): { args: string[]; env: string[]; cwd: string } {
  const args = spec.command.length > 0 ? [...spec.command, ...spec.args] : [...image.entrypoint, ...(spec.args.length > 0 ? spec.args : image.cmd)];
  const env = new Map<string, string>();
  for (const entry of image.env) {
    const eq = entry.indexOf('=');
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  if (!env.has('PATH')) env.set('PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  for (const { name, value } of spec.env) env.set(name, value);
  return { args, env: [...env].map(([k, v]) => `${k}=${v}`), cwd: spec.workingDir || image.workingDir || '/' };
}

/**
 * The uid and gid to run as: the pod's securityContext wins, else the image's USER (`uid`,
 * `uid:gid`, `name` or `name:group`, looked up in the image's /etc/passwd and /etc/group).
 */
export function resolveUser(
  override: { uid?: number; gid?: number } | undefined,
  imageUser: string,
  files: { passwd?: string; group?: string },
): { uid: number; gid: number; additionalGids: number[] } {
  const passwd = parseIdFile(files.passwd ?? '', 2, 3);
  const groups = parseIdFile(files.group ?? '', 2);
  const [userPart = '', groupPart] = imageUser.split(':');
  let uid = 0;
  let gid: number | undefined;
  if (override?.uid !== undefined) {
    uid = override.uid;
  } else if (userPart !== '') {
    if (/^\d+$/.test(userPart)) uid = Number(userPart);
    else {
      const entry = passwd.get(userPart);
      if (!entry) throw new Error(`user ${JSON.stringify(userPart)} of the image is not in its /etc/passwd`);
      uid = entry.id;
      gid = entry.gid;
    }
  }
  if (gid === undefined) gid = [...passwd.values()].find((e) => e.id === uid)?.gid;
  if (groupPart !== undefined && groupPart !== '' && override?.gid === undefined) {
    if (/^\d+$/.test(groupPart)) gid = Number(groupPart);
    else {
      const entry = groups.get(groupPart);
      if (!entry) throw new Error(`group ${JSON.stringify(groupPart)} of the image is not in its /etc/group`);
      gid = entry.id;
    }
  }
  if (override?.gid !== undefined) gid = override.gid;
  return { uid, gid: gid ?? 0, additionalGids: [] };
}

function parseIdFile(text: string, idField: number, gidField?: number): Map<string, { id: number; gid?: number }> {
  const out = new Map<string, { id: number; gid?: number }>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    const name = f[0];
    const id = Number(f[idField]);
    if (!name || !Number.isInteger(id)) continue;
    const gid = gidField !== undefined ? Number(f[gidField]) : NaN;
    out.set(name, Number.isInteger(gid) ? { id, gid } : { id });
  }
  return out;
}
