/**
 * A container's environment, as the kubelet's makeEnvironmentVariables builds it: envFrom
 * sources first (ConfigMaps and Secrets, with their prefix), then env in order — plain values with
 * $(VAR) references expanded against what is defined so far, or values from the pod's fields
 * (fieldRef), its resources (resourceFieldRef), a ConfigMap key or a Secret key. A missing object
 * or key fails the container's start (CreateContainerConfigError) unless marked optional. The
 * downward API helpers here serve downwardAPI volumes too.
 */
import type { ConfigMap } from '../../api/kinds/core/configMap';
import type { Container } from '../../api/kinds/core/container';
import type { ObjectFieldSelector, ResourceFieldSelector } from '../../api/kinds/core/env';
import type { Pod } from '../../api/kinds/core/pod';
import { quantityNanos } from '../../api/kinds/core/resources';
import type { Secret } from '../../api/kinds/core/secret';
import { expand, mappingFor } from '../expansion';

/** Where ConfigMaps and Secrets are read from (an informer cache). */
export interface ObjectSource {
  configMap(namespace: string, name: string): ConfigMap | undefined;
  secret(namespace: string, name: string): Secret | undefined;
}

/** What the downward API exposes besides the pod object. */
export interface DownwardContext {
  readonly podIPs: readonly string[];
  readonly hostIPs: readonly string[];
  /** The node's allocatable cpu (millicores) and memory (bytes): the default of unset limits. */
  readonly allocatable: { readonly milliCPU: number; readonly memoryBytes: number; readonly ephemeralStorageBytes: number };
}

/** A container cannot be configured (CreateContainerConfigError). */
export class ContainerConfigError extends Error {
  override readonly name = 'ContainerConfigError';
}

export interface EnvVarValue {
  readonly name: string;
  readonly value: string;
}

export function makeEnvironmentVariables(
  pod: Pod,
  container: Container,
  objects: ObjectSource,
  ctx: DownwardContext,
  serviceEnv: ReadonlyMap<string, string> = new Map(),
): EnvVarValue[] {
  const namespace = pod.metadata?.namespace ?? 'default';
  const tmp = new Map<string, string>();
  const services = new Map(serviceEnv);
  const configMaps = new Map<string, ConfigMap | undefined>();
  const secrets = new Map<string, Secret | undefined>();
  const configMap = (name: string): ConfigMap | undefined => {
    if (!configMaps.has(name)) configMaps.set(name, objects.configMap(namespace, name));
    return configMaps.get(name);
  };
  const secret = (name: string): Secret | undefined => {
    if (!secrets.has(name)) secrets.set(name, objects.secret(namespace, name));
    return secrets.get(name);
  };

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const name = from.configMapRef.name ?? '';
      const cm = configMap(name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${name}" not found`);
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) tmp.set(prefix + k, v);
    } else if (from.secretRef) {
      const name = from.secretRef.name ?? '';
      const s = secret(name);
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${name}" not found`);
      }
      for (const [k, v] of Object.entries(s.data ?? {})) tmp.set(prefix + k, decodeSecret(v));
    }
  }

  const mapping = mappingFor(tmp, services);
  for (const env of container.env ?? []) {
    let value = env.value ?? '';
    if (value !== '') {
      value = expand(value, mapping);
    } else if (env.valueFrom) {
      const from = env.valueFrom;
      if (from.fieldRef) {
        value = podFieldValue(from.fieldRef, pod, ctx);
      } else if (from.resourceFieldRef) {
        value = containerResourceValue(from.resourceFieldRef, pod, container, ctx);
      } else if (from.configMapKeyRef) {
        const { name = '', key, optional } = from.configMapKeyRef;
        const cm = configMap(name);
        if (!cm) {
          if (optional) continue;
          throw new ContainerConfigError(`configmap "${name}" not found`);
        }
        const v = cm.data?.[key];
        if (v === undefined) {
          if (optional) continue;
          throw new ContainerConfigError(`couldn't find key ${key} in ConfigMap ${namespace}/${name}`);
        }
        value = v;
      } else if (from.secretKeyRef) {
        const { name = '', key, optional } = from.secretKeyRef;
        const s = secret(name);
        if (!s) {
          if (optional) continue;
          throw new ContainerConfigError(`secret "${name}" not found`);
        }
        const v = s.data?.[key];
        if (v === undefined) {
          if (optional) continue;
          throw new ContainerConfigError(`couldn't find key ${key} in Secret ${namespace}/${name}`);
        }
        value = decodeSecret(v);
      }
    }
    services.delete(env.name);
    tmp.delete(env.name); // the last definition wins, in its own place
    tmp.set(env.name, value);
  }

  const result: EnvVarValue[] = [...tmp].map(([name, value]) => ({ name, value }));
  for (const [name, value] of services) if (!tmp.has(name)) result.push({ name, value });
  return result;
}

export function decodeSecret(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}

/** A fieldRef's value (podFieldSelectorRuntimeValue and the downward API's ExtractFieldPathAsString). */
export function podFieldValue(ref: ObjectFieldSelector, pod: Pod, ctx: DownwardContext): string {
  const path = ref.fieldPath;
  const meta = pod.metadata ?? {};
  const subscript = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (subscript) {
    const map = subscript[1] === 'labels' ? meta.labels : meta.annotations;
    return map?.[subscript[2]!] ?? '';
  }
  switch (path) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'metadata.labels':
      return formatMap(meta.labels);
    case 'metadata.annotations':
      return formatMap(meta.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return ctx.hostIPs[0] ?? '';
    case 'status.hostIPs':
      return ctx.hostIPs.join(',');
    case 'status.podIP':
      return ctx.podIPs[0] ?? '';
    case 'status.podIPs':
      return ctx.podIPs.join(',');
    default:
      throw new ContainerConfigError(`unsupported fieldPath: ${path}`);
  }
}

/** key="value" lines, sorted by key, with Go's %q quoting (the downward API's FormatMap). */
export function formatMap(map: Readonly<Record<string, string>> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(map![k])}`)
    .join('\n');
}

/**
 * A resourceFieldRef's value: the container's limit (the node's allocatable when unset) or
 * request, divided by the divisor and rounded up, as containerResourceRuntimeValue.
 */
export function containerResourceValue(ref: ResourceFieldSelector, pod: Pod, container: Container | undefined, ctx: DownwardContext): string {
  const target = ref.containerName ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === ref.containerName) : container;
  if (!target) throw new ContainerConfigError(`container ${ref.containerName ?? ''} not found`);
  const divisorNanos = quantityNanos(ref.divisor ?? '1') ?? 1_000_000_000n;
  const divisor = divisorNanos === 0n ? 1_000_000_000n : divisorNanos;
  const limits = target.resources?.limits ?? {};
  const requests = target.resources?.requests ?? {};
  const defaults: Record<string, bigint> = {
    cpu: BigInt(ctx.allocatable.milliCPU) * 1_000_000n,
    memory: BigInt(ctx.allocatable.memoryBytes) * 1_000_000_000n,
    'ephemeral-storage': BigInt(ctx.allocatable.ephemeralStorageBytes) * 1_000_000_000n,
  };
  const [kind, name] = ref.resource.split('.', 2) as [string, string | undefined];
  if (!name || (kind !== 'limits' && kind !== 'requests')) throw new ContainerConfigError(`unsupported container resource: ${ref.resource}`);
  let nanos: bigint;
  if (kind === 'limits') {
    const q = limits[name];
    nanos = q !== undefined ? (quantityNanos(q) ?? 0n) : (defaults[name] ?? 0n);
  } else {
    const q = requests[name] ?? limits[name];
    nanos = q !== undefined ? (quantityNanos(q) ?? 0n) : 0n;
  }
  if (name === 'cpu') {
    // Whole millicores: ceil(milli(value) / milli(divisor)).
    const milli = ceilDiv(nanos, 1_000_000n);
    const divMilli = ceilDiv(divisor, 1_000_000n) || 1n;
    return ceilDiv(milli, divMilli).toString();
  }
  const value = ceilDiv(nanos, 1_000_000_000n);
  const divValue = ceilDiv(divisor, 1_000_000_000n) || 1n;
  return ceilDiv(value, divValue).toString();
}

function ceilDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  return a >= 0n ? (a + b - 1n) / b : a / b;
}
