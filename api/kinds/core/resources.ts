/**
 * core/v1 compute resource requirements (ResourceRequirements, ResourceClaim) and the arithmetic on
 * resource.Quantity that validation needs: comparing requests with limits, checking signs and
 * integrality. Quantities are compared exactly, as Kubernetes does, not as floating point numbers.
 */
import { quantityPattern } from '../../schema/ajv';
import * as s from '../../schema/schema';

export const ResourceClaim = s.object(
  'io.k8s.api.core.v1.ResourceClaim',
  'ResourceClaim references one entry in PodSpec.ResourceClaims.',
  {
    name: s.string('Name must match the name of one entry in pod.spec.resourceClaims of the Pod where this field is used. It makes that resource available inside a container.'),
    request: s.string('Request is the name chosen for a request in the referenced claim. If empty, everything from the claim is made available, otherwise only the result of this request.'),
  },
  { required: ['name'] },
);
export type ResourceClaim = s.Static<typeof ResourceClaim>;

/** A ResourceList: resource names (cpu, memory, nvidia.com/gpu, ...) to quantities. */
export const ResourceList = s.map(s.quantity());
export type ResourceList = Record<string, string | number>;

export const ResourceRequirements = s.object(
  'io.k8s.api.core.v1.ResourceRequirements',
  'ResourceRequirements describes the compute resource requirements.',
  {
    claims: s.array(
      ResourceClaim,
      'Claims lists the names of resources, defined in spec.resourceClaims, that are used by this container. This is an alpha field and requires enabling the DynamicResourceAllocation feature gate.',
      { listType: 'map', listMapKeys: ['name'] },
    ),
    limits: ResourceList.doc('Limits describes the maximum amount of compute resources allowed.'),
    requests: ResourceList.doc(
      'Requests describes the minimum amount of compute resources required. If Requests is omitted for a container, it defaults to Limits if that is explicitly specified, otherwise to an implementation-defined value.',
    ),
  },
);
export type ResourceRequirements = s.Static<typeof ResourceRequirements>;

// ---- resource.Quantity arithmetic ---------------------------------------------------------------

const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/**
 * A quantity as an exact number of nano-units (10^-9), rounded up like Kubernetes rounds values
 * finer than its precision. Returns undefined for text that is not a quantity.
 */
export function quantityNanos(q: string | number): bigint | undefined {
  if (typeof q === 'number') return parseNanos(numberText(q));
  // Every pod's requests and limits are parsed on each write and read by several checks: the
  // same few texts ("100m", "128Mi") over and over, and BigInt arithmetic is not cheap.
  let nanos = parsedNanos.get(q);
  if (nanos === undefined && !parsedNanos.has(q)) {
    nanos = parseNanos(q.trim());
    if (parsedNanos.size >= maxParsedNanos) parsedNanos.clear();
    parsedNanos.set(q, nanos);
  }
  return nanos;
}

/** Quantity texts already parsed (undefined: not a quantity); cleared when it reaches its bound. */
const parsedNanos = new Map<string, bigint | undefined>();
const maxParsedNanos = 4096;

function parseNanos(text: string): bigint | undefined {
  if (!quantityPattern.test(text)) return undefined;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/.exec(text);
  if (!m) return undefined;
  const [, sign, intPart = '', fracPart = '', exp, suffix = ''] = m;
  let exp10 = -fracPart.length + 9;
  let exp2 = 0;
  if (exp !== undefined) exp10 += Number(exp);
  else if (suffix in binarySuffixes) exp2 = binarySuffixes[suffix]!;
  else exp10 += decimalSuffixes[suffix]!;
  let value = BigInt((intPart + fracPart).replace(/^0+(?=\d)/, '') || '0') * 2n ** BigInt(exp2);
  if (exp10 >= 0) {
    value *= 10n ** BigInt(exp10);
  } else {
    const divisor = 10n ** BigInt(-exp10);
    value = (value + divisor - 1n) / divisor; // round up, as Kubernetes does
  }
  return sign === '-' ? -value : value;
}

function numberText(n: number): string {
  // JSON numbers: 0.5, 2, 1e3. String(n) gives "1e+21" for large values, which the pattern accepts.
  return String(n);
}

/** Compares two quantities: negative, zero or positive like a comparator; 0 when either is malformed. */
export function compareQuantities(a: string | number, b: string | number): number {
  const x = quantityNanos(a);
  const y = quantityNanos(b);
  if (x === undefined || y === undefined) return 0;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The quantity as written, for messages (Kubernetes prints its canonical form). */
export function quantityString(q: string | number): string {
  return typeof q === 'number' ? numberText(q) : q;
}

const nanosPerUnit = 1_000_000_000n;

/** True when the quantity is a whole number of units. */
export function isWholeQuantity(q: string | number): boolean {
  const n = quantityNanos(q);
  return n !== undefined && n % nanosPerUnit === 0n;
}

// ---- resource names ----------------------------------------------------------------------------

/** Resources whose name has no domain or the kubernetes.io domain are native. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

export function isHugePageResourceName(name: string): boolean {
  return name.startsWith('hugepages-');
}

/** Extended resources (example.com/gpu): not native and not a quota "requests." name. */
export function isExtendedResourceName(name: string): boolean {
  return !isNativeResource(name) && !name.startsWith('requests.');
}

/** Native resources other than huge pages may be overcommitted (requests below limits). */
export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePageResourceName(name);
}

/** Resources counted in whole units (extended resources, pods, ...). */
export function isIntegerResourceName(name: string): boolean {
  return isExtendedResourceName(name) || ['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims'].includes(name);
}

/** The page size of a hugepages-<size> resource, in nanos; undefined if malformed. */
export function hugePageSizeNanos(name: string): bigint | undefined {
  return isHugePageResourceName(name) ? quantityNanos(name.slice('hugepages-'.length)) : undefined;
}
