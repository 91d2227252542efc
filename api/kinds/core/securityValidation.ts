/**
 * Validation of security settings: seccomp and AppArmor profiles, Windows options, the pod security
 * context with its sysctls, host-process pods and the per-OS restrictions of spec.os.
 */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index, type FieldPath } from '../../field/path';
import { isDNS1123Subdomain } from '../../validation/names';
import type { Container, EphemeralContainer } from './container';
import type { PodSpec } from './podSpec';
import type { AppArmorProfile, SeccompProfile, SecurityContext, WindowsSecurityContextOptions } from './securityContext';
import { localDescendingPath, validID } from './validationHelpers';

export function validateSeccompProfile(sp: SeccompProfile | undefined, path: FieldPath): FieldError[] {
  if (!sp) return [];
  if (sp.type === 'Localhost') {
    if (sp.localhostProfile === undefined) return [field.required(child(path, 'localhostProfile'), 'must be set when seccomp type is Localhost')];
    return localDescendingPath(sp.localhostProfile, child(path, 'localhostProfile'));
  }
  return sp.localhostProfile !== undefined ? [field.invalid(child(path, 'localhostProfile'), sp, 'can only be set when seccomp type is Localhost')] : [];
}

export function validateAppArmorProfile(p: AppArmorProfile | undefined, path: FieldPath): FieldError[] {
  if (!p) return [];
  const errs: FieldError[] = [];
  if (p.type === 'Localhost') {
    const profile = p.localhostProfile;
    if (profile === undefined || profile.trim() === '') {
      if (profile !== undefined && profile !== profile.trim()) errs.push(field.invalid(child(path, 'localhostProfile'), profile, 'must not be padded with whitespace'));
      else errs.push(field.required(child(path, 'localhostProfile'), 'must be set when AppArmor type is Localhost'));
    } else if (profile !== profile.trim()) {
      errs.push(field.invalid(child(path, 'localhostProfile'), profile, 'must not be padded with whitespace'));
    }
    if (profile !== undefined && profile.length > 4095) errs.push(field.tooLong(child(path, 'localhostProfile'), 4095));
  } else if (p.localhostProfile !== undefined) {
    errs.push(field.invalid(child(path, 'localhostProfile'), p.localhostProfile, 'can only be set when AppArmor type is Localhost'));
  }
  return errs;
}

const netBiosDomain = /^[^\\/:*?"<>|.][^\\/:*?"<>|]{0,14}$/;
const dnsDomain = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

export function validateWindowsOptions(w: WindowsSecurityContextOptions | undefined, path: FieldPath): FieldError[] {
  if (!w) return [];
  const errs: FieldError[] = [];
  if (w.gmsaCredentialSpecName !== undefined) {
    for (const msg of isDNS1123Subdomain(w.gmsaCredentialSpecName)) errs.push(field.invalid(child(path, 'gmsaCredentialSpecName'), w.gmsaCredentialSpecName, msg));
  }
  if (w.gmsaCredentialSpec !== undefined) {
    const spec = w.gmsaCredentialSpec;
    if (spec.length === 0) errs.push(field.invalid(child(path, 'gmsaCredentialSpec'), spec, 'gmsaCredentialSpec cannot be an empty string'));
    else if (spec.length > 64 * 1024) errs.push(field.invalid(child(path, 'gmsaCredentialSpec'), spec, 'gmsaCredentialSpec size must be under 64 KiB'));
  }
  const name = w.runAsUserName;
  if (name !== undefined) {
    const at = child(path, 'runAsUserName');
    const parts = name.split('\\');
    if (name.length === 0) errs.push(field.invalid(at, name, 'runAsUserName cannot be an empty string'));
    else if (/[\x00-\x1f\x7f]/.test(name)) errs.push(field.invalid(at, name, 'runAsUserName cannot contain control characters'));
    else if (parts.length > 2) errs.push(field.invalid(at, name, 'runAsUserName cannot contain more than one backslash'));
    else {
      const domain = parts.length === 2 ? parts[0]! : '';
      const user = parts.length === 2 ? parts[1]! : parts[0]!;
      if (domain.length >= 256) errs.push(field.invalid(at, name, "runAsUserName's Domain length must be under 256 characters"));
      if (parts.length === 2 && !netBiosDomain.test(domain) && !dnsDomain.test(domain)) {
        errs.push(field.invalid(at, name, "runAsUserName's Domain doesn't match the NetBios nor the DNS format"));
      }
      if (user.length === 0) errs.push(field.invalid(at, name, "runAsUserName's User cannot be empty"));
      else if (user.length > 104) errs.push(field.invalid(at, name, "runAsUserName's User length must not be longer than 104 characters"));
      if (/^[. ]+$/.test(user)) errs.push(field.invalid(at, name, "runAsUserName's User cannot contain only periods or spaces"));
      if (/["/\\:;|=,+*?<>@[\]]/.test(user)) errs.push(field.invalid(at, name, `runAsUserName's User cannot contain the following characters: "/\\:;|=,+*?<>@[]`));
    }
  }
  return errs;
}

/** A container's securityContext (ValidateSecurityContext). */
export function validateSecurityContext(sc: SecurityContext | undefined, path: FieldPath): FieldError[] {
  if (!sc) return [];
  const errs: FieldError[] = [];
  if (sc.runAsUser !== undefined) errs.push(...validID(sc.runAsUser, child(path, 'runAsUser')));
  if (sc.runAsGroup !== undefined) errs.push(...validID(sc.runAsGroup, child(path, 'runAsGroup')));
  errs.push(...validateSeccompProfile(sc.seccompProfile, child(path, 'seccompProfile')));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) errs.push(field.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    for (const cap of sc.capabilities?.add ?? []) {
      if (cap === 'CAP_SYS_ADMIN') errs.push(field.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  errs.push(...validateWindowsOptions(sc.windowsOptions, child(path, 'windowsOptions')));
  errs.push(...validateAppArmorProfile(sc.appArmorProfile, child(path, 'appArmorProfile')));
  return errs;
}

const sysctlSegment = '[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const sysctlPattern = `^(${sysctlSegment}[\\./])*${sysctlSegment}$`;
const sysctlName = new RegExp(sysctlPattern);

/** The kernel namespace a sysctl belongs to ('' when it is not namespaced by net or ipc). */
function sysctlNamespace(name: string): 'net' | 'ipc' | '' {
  const dot = name.indexOf('.');
  const slash = name.indexOf('/');
  const normalized = slash >= 0 && (dot < 0 || slash < dot) ? name.replace(/[./]/g, (c) => (c === '/' ? '.' : '/')) : name;
  if (normalized === 'kernel.sem' || normalized.startsWith('kernel.shm') || normalized.startsWith('kernel.msg') || normalized.startsWith('fs.mqueue.')) return 'ipc';
  return normalized.startsWith('net.') ? 'net' : '';
}

/** spec.securityContext, with hostNetwork and hostIPC read from the spec (they live there in v1). */
export function validatePodSecurityContext(spec: PodSpec, path: FieldPath): FieldError[] {
  const sc = spec.securityContext;
  if (!sc) return [];
  const errs: FieldError[] = [];
  if (sc.fsGroup !== undefined) errs.push(...validID(sc.fsGroup, child(path, 'fsGroup')));
  if (sc.runAsUser !== undefined) errs.push(...validID(sc.runAsUser, child(path, 'runAsUser')));
  if (sc.runAsGroup !== undefined) errs.push(...validID(sc.runAsGroup, child(path, 'runAsGroup')));
  (sc.supplementalGroups ?? []).forEach((gid, i) => errs.push(...validID(gid, index(child(path, 'supplementalGroups'), i))));
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    errs.push(field.invalid(child(path, 'shareProcessNamespace'), true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  const names = new Set<string>();
  (sc.sysctls ?? []).forEach((sysctl, i) => {
    const at = child(index(child(path, 'sysctls'), i), 'name');
    if (!sysctl.name) errs.push(field.required(at));
    else if (sysctl.name.length > 253 || !sysctlName.test(sysctl.name)) {
      errs.push(field.invalid(at, sysctl.name, `must have at most 253 characters and match regex ${sysctlPattern}`));
    } else if (names.has(sysctl.name)) errs.push(field.duplicate(at, sysctl.name));
    const ns = sysctlNamespace(sysctl.name);
    if (spec.hostNetwork && ns === 'net') errs.push(field.invalid(at, sysctl.name, "may not be specified when 'hostNetwork' is true"));
    else if (spec.hostIPC && ns === 'ipc') errs.push(field.invalid(at, sysctl.name, "may not be specified when 'hostIPC' is true"));
    names.add(sysctl.name);
  });
  errs.push(...validateSeccompProfile(sc.seccompProfile, child(path, 'seccompProfile')));
  errs.push(...validateWindowsOptions(sc.windowsOptions, child(path, 'windowsOptions')));
  errs.push(...validateAppArmorProfile(sc.appArmorProfile, child(path, 'appArmorProfile')));
  return errs;
}

type AnyContainer = Container | EphemeralContainer;

/** Every container with its path, in Kubernetes' VisitContainersWithPath order. */
export function containersWithPath(spec: PodSpec, path: FieldPath): [AnyContainer, FieldPath][] {
  const out: [AnyContainer, FieldPath][] = [];
  (spec.initContainers ?? []).forEach((c, i) => out.push([c, index(child(path, 'initContainers'), i)]));
  spec.containers.forEach((c, i) => out.push([c, index(child(path, 'containers'), i)]));
  (spec.ephemeralContainers ?? []).forEach((c, i) => out.push([c, index(child(path, 'ephemeralContainers'), i)]));
  return out;
}

/** Windows host-process pods: all containers alike, with host networking. */
export function validateWindowsHostProcessPod(spec: PodSpec, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const podHostProcess = spec.securityContext?.windowsOptions?.hostProcess;
  let count = 0;
  let hostProcessCount = 0;
  for (const [c, at] of containersWithPath(spec, path)) {
    count++;
    const own = c.securityContext?.windowsOptions?.hostProcess;
    if (podHostProcess !== undefined && own !== undefined && podHostProcess !== own) {
      errs.push(field.invalid(child(child(child(at, 'securityContext'), 'windowsOptions'), 'hostProcess'), own, `pod hostProcess value must be identical if both are specified, was ${podHostProcess}`));
    }
    if (own === true || (own === undefined && podHostProcess === true)) hostProcessCount++;
  }
  if (hostProcessCount > 0) {
    if (hostProcessCount !== count) errs.push(field.invalid(path, '', 'If pod contains any hostProcess containers then all containers must be HostProcess containers'));
    if (!spec.hostNetwork) errs.push(field.invalid(child(path, 'hostNetwork'), false, 'hostNetwork must be true if pod contains any hostProcess containers'));
  }
  return errs;
}

/** With spec.os set, fields of the other operating system are forbidden. */
export function validateOS(spec: PodSpec, path: FieldPath): FieldError[] {
  const os = spec.os;
  if (!os) return [];
  if (!os.name) return [field.required(child(child(path, 'os'), 'name'), 'cannot be empty')];
  if (os.name !== 'linux' && os.name !== 'windows') return [field.notSupported(child(path, 'os'), os.name, ['linux', 'windows'])];
  const errs: FieldError[] = [];
  const sc = spec.securityContext;
  const scPath = child(path, 'securityContext');
  if (os.name === 'linux') {
    const text = 'windows options cannot be set for a linux pod';
    if (sc?.windowsOptions) errs.push(field.forbidden(child(scPath, 'windowsOptions'), text));
    for (const [c, at] of containersWithPath(spec, path)) {
      if (c.securityContext?.windowsOptions) errs.push(field.forbidden(child(child(at, 'securityContext'), 'windowsOptions'), text));
    }
    return errs;
  }
  const text = 'cannot be set for a windows pod';
  if (sc) {
    for (const name of ['appArmorProfile', 'seLinuxOptions'] as const) if (sc[name] !== undefined) errs.push(field.forbidden(child(scPath, name), text));
    if (spec.hostUsers !== undefined) errs.push(field.forbidden(child(path, 'hostUsers'), text));
    if (spec.hostPID) errs.push(field.forbidden(child(path, 'hostPID'), text));
    if (spec.hostIPC) errs.push(field.forbidden(child(path, 'hostIPC'), text));
    for (const name of ['seccompProfile', 'fsGroup', 'fsGroupChangePolicy'] as const) if (sc[name] !== undefined) errs.push(field.forbidden(child(scPath, name), text));
    if ((sc.sysctls ?? []).length) errs.push(field.forbidden(child(scPath, 'sysctls'), text));
    if (spec.shareProcessNamespace !== undefined) errs.push(field.forbidden(child(path, 'shareProcessNamespace'), text));
    for (const name of ['runAsUser', 'runAsGroup', 'supplementalGroups', 'supplementalGroupsPolicy', 'seLinuxChangePolicy'] as const) {
      if (sc[name] !== undefined) errs.push(field.forbidden(child(scPath, name), text));
    }
  }
  for (const [c, at] of containersWithPath(spec, path)) {
    const csc = c.securityContext;
    if (!csc) continue;
    const cPath = child(at, 'securityContext');
    const fields = ['appArmorProfile', 'seLinuxOptions', 'seccompProfile', 'capabilities', 'readOnlyRootFilesystem', 'privileged', 'allowPrivilegeEscalation', 'procMount', 'runAsUser', 'runAsGroup'] as const;
    for (const name of fields) if (csc[name] !== undefined) errs.push(field.forbidden(child(cPath, name), text));
  }
  return errs;
}
