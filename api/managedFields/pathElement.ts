/**
 * Path elements of field sets, as structured-merge-diff serializes them in `fieldsV1`:
 *   f:<name>          a field of an object (or a key of a map)
 *   k:<json object>   the item of a list-type map with these key values, e.g. k:{"name":"nginx"}
 *   v:<json value>    the item of a set with this value, e.g. v:"example.com/finalizer"
 *   i:<index>         the item of an atomic list at this index
 * A path is the list of serialized elements from the object's root. Serialization is canonical
 * (key fields sorted by name, JSON with sorted object keys) so that equal elements are equal strings.
 */

export type PathElement =
  | { readonly kind: 'field'; readonly name: string }
  /** Key fields sorted by name. */
  | { readonly kind: 'key'; readonly fields: readonly (readonly [string, unknown])[] }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'index'; readonly index: number };

/** A serialized path element: `f:spec`, `k:{"name":"nginx"}`. */
export type Element = string;
/** A path from the root of an object, e.g. ['f:spec', 'f:replicas']. */
export type FieldPath = readonly Element[];

export class PathElementError extends Error {}

export function fieldElement(name: string): Element {
  return `f:${name}`;
}

export function keyElement(fields: Iterable<readonly [string, unknown]>): Element {
  const list = [...fields];
  return keyElementOf(list.map(([name]) => name))(list.map(([, value]) => value));
}

/**
 * keyElement for items keyed by the fields `names`, given their values in the order of `names`.
 * The names are sorted and quoted once, for all the items of a list type.
 */
export function keyElementOf(names: readonly string[]): (values: readonly unknown[]) => Element {
  // Stable, as sorting the name-value pairs would be: equal names keep their order.
  const order = names.map((name, i) => ({ name, i })).sort((a, b) => compareStrings(a.name, b.name));
  const prefixes = order.map(({ name }, n) => `${n === 0 ? '' : ','}${JSON.stringify(name)}:`);
  const indices = order.map(({ i }) => i);
  return (values) => {
    let element = 'k:{';
    for (let n = 0; n < indices.length; n++) element += prefixes[n]! + canonicalJson(values[indices[n]!]);
    return `${element}}`;
  };
}

export function valueElement(value: unknown): Element {
  return `v:${canonicalJson(value)}`;
}

export function indexElement(index: number): Element {
  return `i:${index}`;
}

/** The field name of an `f:` element, or undefined for other kinds. */
export function fieldName(element: Element): string | undefined {
  return element.startsWith('f:') ? element.slice(2) : undefined;
}

/** Parses a serialized element; undefined for an unknown kind (newer formats are dropped, as Kubernetes does). */
export function parseElement(element: string): PathElement | undefined {
  if (element.length < 2 || element[1] !== ':') throw new PathElementError(`invalid path element ${JSON.stringify(element)}`);
  const body = element.slice(2);
  switch (element[0]) {
    case 'f':
      return { kind: 'field', name: body };
    case 'k': {
      const parsed = parseJson(body);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new PathElementError(`invalid key ${JSON.stringify(body)}`);
      const fields = Object.entries(parsed as Record<string, unknown>).sort(([a], [b]) => compareStrings(a, b));
      return { kind: 'key', fields };
    }
    case 'v':
      return { kind: 'value', value: parseJson(body) };
    case 'i':
      if (!/^-?\d+$/.test(body)) throw new PathElementError(`invalid index ${JSON.stringify(body)}`);
      return { kind: 'index', index: Number(body) };
    default:
      return undefined;
  }
}

/**
 * Whether a serialized element is of a known kind (false: a newer kind, to be dropped); throws
 * PathElementError when it is malformed. Cheaper than parsing for field names.
 */
export function validElement(element: string): boolean {
  if (element.startsWith('f:')) return true;
  if (knownValid.has(element)) return true;
  const valid = parseElement(element) !== undefined;
  if (valid) {
    if (knownValid.size >= maxKnownValid) knownValid.clear();
    knownValid.add(element);
  }
  return valid;
}

/**
 * Keys and values found valid before: every write decodes the managedFields it is sent, and the
 * same list items (containers, conditions...) come back in each, each one a JSON.parse. Cleared
 * when full, so that it stays small whatever clients send.
 */
const knownValid = new Set<string>();
const maxKnownValid = 4096;

/** The canonical serialization of a parsed element. */
export function serializeElement(pe: PathElement): Element {
  switch (pe.kind) {
    case 'field':
      return fieldElement(pe.name);
    case 'key':
      return keyElement(pe.fields);
    case 'value':
      return valueElement(pe.value);
    case 'index':
      return indexElement(pe.index);
  }
}

const kindRank = { field: 0, key: 1, value: 2, index: 3 } as const;

/** structured-merge-diff's order of elements: fields, then keys, values, indices; each by content. */
export function compareElements(a: Element, b: Element): number {
  return compareParsed(a, b, parseElement);
}

/**
 * Sorts `elements` in place by compareElements and returns it. Each element is parsed once rather
 * than at every comparison; fields alone (the common case) sort as strings.
 */
export function sortElements(elements: Element[]): Element[] {
  if (elements.length < 2) return elements;
  if (elements.every((e) => e.startsWith('f:'))) return elements.length <= 16 ? insertionSort(elements) : elements.sort(compareStrings);
  const parsed = new Map(elements.map((e) => [e, parseElement(e)]));
  return elements.sort((a, b) => compareParsed(a, b, (e) => parsed.get(e)));
}

/** compareElements, taking each element's parsed form from `parse` (called only when needed). */
function compareParsed(a: Element, b: Element, parse: (element: Element) => PathElement | undefined): number {
  if (a === b) return 0;
  // Field names, the common case, compare without parsing.
  if (a.startsWith('f:') && b.startsWith('f:')) return compareStrings(a, b);
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return compareStrings(a, b);
  if (pa.kind !== pb.kind) return kindRank[pa.kind] - kindRank[pb.kind];
  switch (pa.kind) {
    case 'field':
      return compareStrings(pa.name, (pb as typeof pa).name);
    case 'key':
      return compareFieldLists(pa.fields, (pb as typeof pa).fields);
    case 'value':
      return compareValues(pa.value, (pb as typeof pa).value);
    case 'index':
      return pa.index - (pb as typeof pa).index;
  }
}

/** How Kubernetes prints an element in conflict messages: `.replicas`, `[name="nginx"]`, `[=x]`, `[0]`. */
export function elementString(element: Element): string {
  const pe = parseElement(element);
  if (!pe) return element;
  switch (pe.kind) {
    case 'field':
      return `.${pe.name}`;
    case 'key':
      return `[${pe.fields.map(([name, value]) => `${name}=${valueString(value)}`).join(',')}]`;
    case 'value':
      return `[=${valueString(pe.value)}]`;
    case 'index':
      return `[${pe.index}]`;
  }
}

/** `.spec.template.spec.containers[name="nginx"].image` */
export function pathString(path: FieldPath): string {
  return path.map(elementString).join('');
}

/** JSON with object keys sorted, so that equal values serialize equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => compareStrings(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new PathElementError(`invalid JSON in path element: ${text}`);
  }
}

/**
 * Sorts strings in place as compareStrings orders them. The elements of one node of a field set
 * are a handful, for which this is measured several times faster than Array.prototype.sort.
 */
function insertionSort(strings: string[]): string[] {
  for (let i = 1; i < strings.length; i++) {
    const s = strings[i]!;
    let j = i - 1;
    for (; j >= 0 && strings[j]! > s; j--) strings[j + 1] = strings[j]!;
    strings[j + 1] = s;
  }
  return strings;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareFieldLists(a: readonly (readonly [string, unknown])[], b: readonly (readonly [string, unknown])[]): number {
  for (let i = 0; ; i++) {
    if (i >= a.length || i >= b.length) return a.length - b.length;
    const byName = compareStrings(a[i]![0], b[i]![0]);
    if (byName !== 0) return byName;
    const byValue = compareValues(a[i]![1], b[i]![1]);
    if (byValue !== 0) return byValue;
  }
}

/** structured-merge-diff's total order of values: numbers, strings, booleans, lists, maps, null. */
function compareValues(a: unknown, b: unknown): number {
  const ra = valueRank(a);
  const rb = valueRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number') return a - (b as number);
  if (typeof a === 'string') return compareStrings(a, b as string);
  if (typeof a === 'boolean') return Number(a) - Number(b);
  if (Array.isArray(a)) {
    const bl = b as unknown[];
    for (let i = 0; ; i++) {
      if (i >= a.length || i >= bl.length) return a.length - bl.length;
      const c = compareValues(a[i], bl[i]);
      if (c !== 0) return c;
    }
  }
  if (ra === 4) {
    const entries = (v: unknown) => Object.entries(v as Record<string, unknown>).sort(([x], [y]) => compareStrings(x, y));
    return compareFieldLists(entries(a), entries(b));
  }
  return 0;
}

function valueRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (typeof v === 'object' && v !== null) return 4;
  return 5;
}

/** Go's value.ToString: strings quoted, other scalars as they print. */
function valueString(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(valueString).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${valueString(v)}`).join(',')}}`;
  }
  return String(value ?? 'null');
}
