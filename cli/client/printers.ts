/**
 * Output, as kubectl prints it: the server's Tables (Accept: the Table media type) aligned as
 * kubectl's tabwriter aligns them (`-o wide` adds the columns of priority > 0; several types get
 * `kind.group/` name prefixes and a blank line between them; -A a NAMESPACE column;
 * --show-labels a LABELS column), and the machine formats: `-o json` (4-space indent, sorted
 * keys), `-o yaml` (sorted keys), `-o name`, `-o jsonpath=…` and `-o custom-columns=…`.
 * Several objects in json/yaml print as a `List`. managedFields are left out unless asked for.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../../api/kinds/kind';
import { resourceLabel } from './discovery';
import { usageError } from './io';
import { JsonPath, JsonPathError, formatValue, relaxedTemplate } from './jsonpath';

export type OutputFormat =
  | { readonly type: 'table' | 'wide' | 'json' | 'yaml' | 'name' }
  | { readonly type: 'jsonpath'; readonly template: string }
  | { readonly type: 'custom-columns'; readonly columns: readonly { readonly header: string; readonly path: string }[] };

export const outputFormats = 'json|yaml|name|wide|jsonpath=…|custom-columns=…';

export function parseOutputFormat(value: string | undefined, allowed: readonly string[] = ['json', 'yaml', 'name', 'wide', 'jsonpath', 'custom-columns']): OutputFormat {
  if (value === undefined || value === '') return { type: 'table' };
  const eq = value.indexOf('=');
  const name = eq < 0 ? value : value.slice(0, eq);
  const arg = eq < 0 ? '' : value.slice(eq + 1);
  if (!allowed.includes(name)) throw usageError(`unable to match a printer suitable for the output format "${value}", allowed formats are: ${allowed.join(',')}`);
  switch (name) {
    case 'json':
    case 'yaml':
    case 'name':
    case 'wide':
      return { type: name };
    case 'jsonpath':
      if (!arg) throw usageError('jsonpath template format specified but no template given');
      try {
        new JsonPath(arg);
      } catch (err) {
        throw usageError(`error parsing jsonpath ${arg}, ${(err as Error).message}`);
      }
      return { type: 'jsonpath', template: arg };
    case 'custom-columns': {
      if (!arg) throw usageError('custom-columns format specified but no custom columns given');
      const columns = arg.split(',').map((spec) => {
        const colon = spec.indexOf(':');
        if (colon <= 0) throw usageError(`unexpected custom-columns spec: ${spec}, expected <header>:<json-path-expr>`);
        return { header: spec.slice(0, colon), path: relaxedTemplate(spec.slice(colon + 1)) };
      });
      return { type: 'custom-columns', columns };
    }
    default:
      throw usageError(`unknown output format ${value}`);
  }
}

/** A JSON value with object keys sorted, at any depth (as Go marshals maps). */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = sortKeys(v);
  }
  return out;
}

/** JSON as kubectl prints it: 4-space indent, sorted keys, HTML characters escaped, a final newline. */
export function toJson(value: unknown): string {
  return (
    JSON.stringify(sortKeys(value), null, 4)
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029') + '\n'
  );
}

/** YAML as kubectl prints it: sorted keys, lists not indented under their key. */
export function toYaml(value: unknown): string {
  return stringify(sortKeys(value), { indentSeq: false, lineWidth: 0, version: '1.1', aliasDuplicateObjects: false });
}

/** The object without metadata.managedFields (kubectl's default --show-managed-fields=false). */
export function withoutManagedFields<T extends KubeObject>(obj: T): T {
  if (!obj.metadata?.managedFields) return obj;
  const { managedFields: _drop, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** The List kubectl prints several objects as. */
export function asList(items: readonly unknown[]): KubeObject {
  return { apiVersion: 'v1', items: [...items], kind: 'List', metadata: { resourceVersion: '' } };
}

/** `deployment.apps/web`: kubectl's -o name. */
export function objectName(obj: KubeObject, resource?: { readonly group: string; readonly kind: string }): string {
  const group = resource?.group ?? (obj.apiVersion?.includes('/') ? obj.apiVersion.split('/')[0]! : '');
  return `${resourceLabel({ group, kind: resource?.kind ?? obj.kind ?? '' })}/${obj.metadata?.name ?? ''}`;
}

export interface PrintOptions {
  /** One object asked for by name: printed as itself, not as a List. */
  readonly single: boolean;
  readonly showManagedFields?: boolean;
  readonly noHeaders?: boolean;
}

/** Prints objects in a machine format (not tables). */
export function formatObjects(format: OutputFormat, objects: readonly KubeObject[], options: PrintOptions): string {
  const clean = options.showManagedFields ? objects : objects.map(withoutManagedFields);
  const data = options.single && clean.length === 1 ? clean[0]! : asList(clean);
  switch (format.type) {
    case 'json':
      return toJson(data);
    case 'yaml':
      return toYaml(data);
    case 'name':
      return clean.map((o) => `${objectName(o)}\n`).join('');
    case 'jsonpath':
      try {
        return new JsonPath(format.template, { allowMissingKeys: true }).execute(data);
      } catch (err) {
        throw new JsonPathError(`error executing jsonpath ${JSON.stringify(format.template)}: ${(err as Error).message}`);
      }
    case 'custom-columns': {
      const paths = format.columns.map((c) => new JsonPath(c.path, { allowMissingKeys: true }));
      const rows = clean.map((o) =>
        paths.map((p) => {
          const values = p.results(o).flat();
          return values.length && !(values.length === 1 && (values[0] === undefined || values[0] === null)) ? values.map(formatValue).join(',') : '<none>';
        }),
      );
      return alignColumns(options.noHeaders ? rows : [format.columns.map((c) => c.header), ...rows]);
    }
    default:
      throw new Error(`not a machine format: ${format.type}`);
  }
}

/**
 * Rows aligned as Go's tabwriter aligns them with kubectl's settings (minwidth 6, padding 3,
 * padded with spaces): each column as wide as its widest cell plus the padding; the last cell of a
 * row is not padded.
 */
export function alignColumns(rows: readonly (readonly string[])[], padding = 3, minWidth = 6): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (i === row.length - 1) return;
      widths[i] = Math.max(widths[i] ?? 0, Math.max(displayWidth(cell) + padding, minWidth));
    });
  }
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - displayWidth(cell)))).join('') + '\n').join('');
}

function displayWidth(s: string): number {
  return [...s].length;
}

// ---- server-side tables ----

export const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

export interface TableColumn {
  readonly name: string;
  readonly type: string;
  readonly format?: string;
  readonly priority?: number;
}

export interface TableRow {
  readonly cells: readonly unknown[];
  readonly object?: KubeObject;
}

export interface Table {
  readonly kind?: string;
  readonly columnDefinitions?: readonly TableColumn[];
  readonly rows?: readonly TableRow[];
  readonly metadata?: { readonly resourceVersion?: string };
}

export interface TableSection {
  readonly table: Table;
  readonly resource: { readonly group: string; readonly kind: string };
}

export interface TableOptions {
  readonly wide: boolean;
  /** Prefix names with `kind.group/` (several types printed). */
  readonly withKind: boolean;
  readonly withNamespace: boolean;
  readonly showLabels: boolean;
  readonly noHeaders: boolean;
  /** -L: label values as extra columns. */
  readonly labelColumns?: readonly string[];
}

/** The header and rows of one table (not yet aligned). */
export function tableRows(section: TableSection, options: TableOptions, includeHeader = true): string[][] {
  const columns = section.table.columnDefinitions ?? [];
  const shown = columns.map((c, i) => ({ c, i })).filter(({ c }) => options.wide || !c.priority);
  const header = [
    ...(options.withNamespace ? ['NAMESPACE'] : []),
    ...shown.map(({ c }) => c.name.toUpperCase()),
    ...(options.labelColumns ?? []).map((l) => l.split('/').pop()!.toUpperCase()),
    ...(options.showLabels ? ['LABELS'] : []),
  ];
  const rows: string[][] = includeHeader && !options.noHeaders ? [header] : [];
  for (const row of section.table.rows ?? []) {
    const meta = row.object?.metadata;
    const cells = shown.map(({ c, i }) => {
      const text = cellText(row.cells[i]);
      if (c.format === 'name' && options.withKind) return `${resourceLabel(section.resource)}/${text}`;
      return text;
    });
    const labels = meta?.labels ?? {};
    rows.push([
      ...(options.withNamespace ? [meta?.namespace ?? ''] : []),
      ...cells,
      ...(options.labelColumns ?? []).map((l) => labels[l] ?? ''),
      ...(options.showLabels ? [formatLabels(labels)] : []),
    ]);
  }
  return rows;
}

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '<none>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** `a=b,c=d` sorted by key, or `<none>`. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  return keys.length ? keys.map((k) => `${k}=${labels[k]}`).join(',') : '<none>';
}

/** Sorts table rows (with their objects) by a JSONPath expression, as --sort-by. */
export function sortRows(rows: readonly TableRow[], expr: string): TableRow[] {
  const path = new JsonPath(relaxedTemplate(expr), { allowMissingKeys: true });
  const keyed = rows.map((row) => ({ row, key: path.results(row.object ?? {}).flat()[0] }));
  keyed.sort((a, b) => compareSortKeys(a.key, b.key));
  return keyed.map((k) => k.row);
}

/** Sorts objects by a JSONPath expression. */
export function sortObjects<T extends KubeObject>(objects: readonly T[], expr: string): T[] {
  const path = new JsonPath(relaxedTemplate(expr), { allowMissingKeys: true });
  const keyed = objects.map((o) => ({ o, key: path.results(o).flat()[0] }));
  keyed.sort((a, b) => compareSortKeys(a.key, b.key));
  return keyed.map((k) => k.o);
}

function compareSortKeys(a: unknown, b: unknown): number {
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const qa = quantity(a);
  const qb = quantity(b);
  if (qa !== undefined && qb !== undefined) return qa - qb;
  const sa = formatValue(a);
  const sb = formatValue(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

const suffixes: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };

function quantity(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(v);
  if (!m) return undefined;
  return Number(m[1]) * (m[2] ? suffixes[m[2]]! : 1);
}
