/**
 * `marina get`: the server's Tables for people (as kubectl, the columns come from the server),
 * the machine formats for scripts, `-w` to watch.
 */
import { Command, Option } from 'commander';
import type { KubeObject } from '../../api/kinds/kind';
import { isStatusError } from '../../api/status';
import type { Cli } from './command';
import { collect } from './command';
import type { Session } from './context';
import { apiVersionOf, type ApiResource } from './discovery';
import { CliError, errorMessage, usageError } from './io';
import {
  alignColumns,
  formatObjects,
  outputFormats,
  parseOutputFormat,
  sortObjects,
  sortRows,
  tableAccept,
  tableRows,
  type OutputFormat,
  type Table,
  type TableOptions,
  type TableSection,
} from './printers';
import { fileTargets, getObject, listObjects, namespaceOf, noResourcesFound, parseTargets, targetPath, type Target } from './resources';

interface GetOptions {
  readonly output?: string;
  readonly selector?: string;
  readonly fieldSelector?: string;
  readonly allNamespaces?: boolean;
  readonly watch?: boolean;
  readonly watchOnly?: boolean;
  readonly showLabels?: boolean;
  readonly showKind?: boolean;
  readonly sortBy?: string;
  /** false with --no-headers (commander's negatable flag). */
  readonly headers?: boolean;
  readonly labelColumns?: string[];
  readonly filename?: string[];
  readonly recursive?: boolean;
  readonly ignoreNotFound?: boolean;
  readonly showManagedFields?: boolean;
}

export function getCommand(cli: Cli): Command {
  const cmd = new Command('get')
    .description('Display one or many resources (the server\'s table columns, or -o json|yaml|name|wide|jsonpath=…|custom-columns=…)')
    .argument('[type-and-names...]', 'TYPE[,TYPE…] [NAME…] or TYPE/NAME…')
    .option('-o, --output <format>', `output format: ${outputFormats}`)
    .option('-l, --selector <selector>', 'label selector (e.g. app=web,tier!=db)')
    .option('--field-selector <selector>', 'field selector (e.g. status.phase=Running)')
    .option('-A, --all-namespaces', 'list across all namespaces')
    .option('-w, --watch', 'after listing, watch for changes')
    .option('--watch-only', 'watch for changes without listing first')
    .option('--show-labels', 'show all labels as the last column')
    .option('--show-kind', 'show the resource type with names')
    .option('--sort-by <jsonpath>', 'sort by a JSONPath expression (e.g. .metadata.name)')
    .option('--no-headers', 'do not print headers')
    .option('-L, --label-columns <label>', 'a label to show as a column (repeatable)', collect)
    .option('-f, --filename <file>', 'the objects of these manifests (repeatable; - for stdin)', collect)
    .option('-R, --recursive', 'with -f DIR, read subdirectories too')
    .option('--ignore-not-found', 'no error for objects that do not exist')
    .addOption(new Option('--show-managed-fields', 'keep metadata.managedFields in json/yaml output'));
  return cli.verb<GetOptions>(cmd, async (ctx) => {
    const opts = ctx.opts;
    const format = parseOutputFormat(opts.output);
    const session = await ctx.session();
    const mapper = await session.mapper();
    const targets = opts.filename?.length ? await fileTargets(session, opts.filename, opts.recursive ?? false) : parseTargets(mapper, ctx.args);
    if (!targets.length) {
      throw usageError('you must specify the type of resource to get (e.g. marina get pods); marina api-resources lists them');
    }
    if ((opts.watch || opts.watchOnly) && new Set(targets.map((t) => t.resource)).size > 1) throw usageError('you may only watch one resource type at a time');
    if (opts.watch || opts.watchOnly) return watchTargets(session, targets, format, opts);
    if (format.type === 'table' || format.type === 'wide') return printTables(session, targets, format.type === 'wide', opts);
    return printMachine(session, targets, format, opts);
  });
}

function scopeOf(session: Session, opts: GetOptions) {
  return {
    namespace: session.namespace,
    allNamespaces: opts.allNamespaces ?? false,
    ...(opts.selector ? { labelSelector: opts.selector } : {}),
    ...(opts.fieldSelector ? { fieldSelector: opts.fieldSelector } : {}),
  };
}

/** Groups targets by resource, keeping the order in which resources first appear. */
function byResource(targets: readonly Target[]): { resource: ApiResource; targets: Target[] }[] {
  const groups: { resource: ApiResource; targets: Target[] }[] = [];
  for (const t of targets) {
    const g = groups.find((x) => x.resource === t.resource);
    if (g) g.targets.push(t);
    else groups.push({ resource: t.resource, targets: [t] });
  }
  return groups;
}

async function fetchTable(session: Session, path: string, query: Record<string, string | undefined>): Promise<Table> {
  const table = await session.client.call<Table>('GET', path, { query, headers: { Accept: tableAccept } });
  if (table?.kind !== 'Table') throw new CliError(`the server did not answer ${path} with a Table`);
  return table;
}

async function printTables(session: Session, targets: readonly Target[], wide: boolean, opts: GetOptions): Promise<number> {
  const io = session.io;
  const groups = byResource(targets);
  const sections: TableSection[] = [];
  let failed = false;
  let anyNamed = false;
  const query = (extra: Record<string, string | undefined> = {}) => ({ includeObject: opts.sortBy || opts.showLabels || opts.allNamespaces || opts.labelColumns?.length ? 'Object' : 'Metadata', ...extra });
  for (const group of groups) {
    let table: Table | undefined;
    for (const t of group.targets) {
      if (t.name === undefined) {
        const scope = scopeOf(session, opts);
        const path = targetPath(t.resource, scope.allNamespaces ? undefined : scope.namespace);
        table = mergeTables(table, await fetchTable(session, path, query({ labelSelector: opts.selector, fieldSelector: opts.fieldSelector })));
        continue;
      }
      anyNamed = true;
      try {
        table = mergeTables(table, await fetchTable(session, targetPath(t.resource, namespaceOf(session, t), t.name), query()));
      } catch (err) {
        if (isStatusError(err, 404) && opts.ignoreNotFound) continue;
        io.stderr.write(`error: ${errorMessage(err)}\n`);
        failed = true;
      }
    }
    if (table && table.rows?.length) {
      const rows = opts.sortBy ? sortRows(table.rows, opts.sortBy) : table.rows;
      sections.push({ table: { ...table, rows }, resource: group.resource });
    }
  }
  const tableOptions: TableOptions = {
    wide,
    withKind: groups.length > 1 || (opts.showKind ?? false),
    withNamespace: (opts.allNamespaces ?? false) && groups.some((g) => g.resource.namespaced),
    showLabels: opts.showLabels ?? false,
    noHeaders: opts.headers === false,
    labelColumns: opts.labelColumns ?? [],
  };
  const out = sections.map((s) => alignColumns(tableRows(s, { ...tableOptions, withNamespace: tableOptions.withNamespace && s.resource.kind !== '' })));
  io.stdout.write(out.join('\n'));
  if (!sections.length && !anyNamed) io.stderr.write(noResourcesFound(session, groups.map((g) => g.resource), opts.allNamespaces ?? false));
  return failed ? 1 : 0;
}

function mergeTables(a: Table | undefined, b: Table): Table {
  if (!a) return b;
  return { ...a, rows: [...(a.rows ?? []), ...(b.rows ?? [])] };
}

async function collectObjects(session: Session, targets: readonly Target[], opts: GetOptions): Promise<{ objects: KubeObject[]; failed: boolean; single: boolean }> {
  const objects: KubeObject[] = [];
  let failed = false;
  for (const t of targets) {
    if (t.name === undefined) {
      objects.push(...(await listObjects(session, t.resource, scopeOf(session, opts))).items);
      continue;
    }
    try {
      objects.push(await getObject(session, t.resource, namespaceOf(session, t), t.name));
    } catch (err) {
      if (isStatusError(err, 404) && opts.ignoreNotFound) continue;
      session.io.stderr.write(`error: ${errorMessage(err)}\n`);
      failed = true;
    }
  }
  const single = targets.length === 1 && targets[0]!.name !== undefined;
  return { objects: opts.sortBy ? sortObjects(objects, opts.sortBy) : objects, failed, single };
}

async function printMachine(session: Session, targets: readonly Target[], format: OutputFormat, opts: GetOptions): Promise<number> {
  const { objects, failed, single } = await collectObjects(session, targets, opts);
  if (single && !objects.length) return failed ? 1 : 0;
  session.io.stdout.write(formatObjects(format, objects, { single, showManagedFields: opts.showManagedFields ?? false, noHeaders: opts.headers === false }));
  return failed ? 1 : 0;
}

async function watchTargets(session: Session, targets: readonly Target[], format: OutputFormat, opts: GetOptions): Promise<number> {
  const io = session.io;
  const resource = targets[0]!.resource;
  const names = new Set(targets.map((t) => t.name).filter((n): n is string => n !== undefined));
  const namespace = targets[0]!.namespace ?? (opts.allNamespaces ? undefined : session.namespace);
  const human = format.type === 'table' || format.type === 'wide';
  const tableOptions: TableOptions = {
    wide: format.type === 'wide',
    withKind: opts.showKind ?? false,
    withNamespace: (opts.allNamespaces ?? false) && resource.namespaced,
    showLabels: opts.showLabels ?? false,
    noHeaders: opts.headers === false,
    labelColumns: opts.labelColumns ?? [],
  };
  const fieldSelector = [opts.fieldSelector, names.size === 1 ? `metadata.name=${[...names][0]}` : undefined].filter(Boolean).join(',') || undefined;
  const path = targetPath(resource, namespace);
  let widths: number[] = [];
  let resourceVersion: string | undefined;
  const printRows = (rows: string[][]) => {
    for (const row of rows) {
      row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length + 3, 6)));
      io.stdout.write(row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('') + '\n');
    }
  };
  const machine = (objs: KubeObject[]) => {
    for (const o of objs) io.stdout.write((format.type === 'yaml' ? '---\n' : '') + formatObjects(format, [o], { single: true, showManagedFields: opts.showManagedFields ?? false }));
  };
  const wanted = (name: string | undefined) => !names.size || (name !== undefined && names.has(name));
  // The first listing (skipped with --watch-only) also gives the resourceVersion to watch from.
  if (human) {
    const table = await fetchTable(session, path, { includeObject: 'Object', labelSelector: opts.selector, fieldSelector });
    resourceVersion = table.metadata?.resourceVersion;
    if (!opts.watchOnly) {
      const rows = (table.rows ?? []).filter((r) => wanted(r.object?.metadata?.name));
      const section = { table: { ...table, rows: opts.sortBy ? sortRows(rows, opts.sortBy) : rows }, resource };
      const lines = tableRows(section, tableOptions, true);
      widths = computeWidths(lines);
      if (rows.length || !tableOptions.noHeaders) printRows(rows.length ? lines : lines.slice(0, tableOptions.noHeaders ? 0 : 1));
    } else {
      widths = computeWidths(tableRows({ table: { ...table, rows: [] }, resource }, tableOptions, true));
    }
  } else {
    const list = await listObjects(session, resource, { ...scopeOf(session, opts), ...(namespace ? { namespace } : {}), ...(fieldSelector ? { fieldSelector } : {}) });
    resourceVersion = list.resourceVersion;
    if (!opts.watchOnly) machine(list.items.filter((o) => wanted(o.metadata?.name)));
  }
  while (!io.signal.aborted) {
    const query: Record<string, string | undefined> = { labelSelector: opts.selector, fieldSelector, resourceVersion, allowWatchBookmarks: 'true' };
    if (human) query['includeObject'] = 'Object';
    let watch;
    try {
      watch = await session.client.watch<Table & KubeObject>(
        path,
        query,
        (event) => {
          if (event.type === 'BOOKMARK') {
            resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion;
            return;
          }
          if (event.type === 'ERROR') return;
          if (human) {
            const table = event.object as Table;
            const rows = (table.rows ?? []).filter((r) => wanted(r.object?.metadata?.name));
            resourceVersion = rows[0]?.object?.metadata?.resourceVersion ?? resourceVersion;
            printRows(tableRows({ table: { ...table, rows }, resource }, tableOptions, false));
          } else {
            const obj = { apiVersion: apiVersionOf(resource), kind: resource.kind, ...(event.object as KubeObject) };
            resourceVersion = obj.metadata?.resourceVersion ?? resourceVersion;
            if (wanted(obj.metadata?.name)) machine([obj]);
          }
        },
        { signal: io.signal, ...(human ? { headers: { Accept: tableAccept } } : {}) },
      );
    } catch (err) {
      if (io.signal.aborted) break;
      if (isStatusError(err, 410)) {
        resourceVersion = undefined;
        continue;
      }
      throw err;
    }
    await watch.done.catch((err: unknown) => {
      if (!io.signal.aborted) io.stderr.write(`warning: watch ended: ${errorMessage(err)}; reconnecting\n`);
    });
  }
  return 0;
}

function computeWidths(rows: string[][]): number[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length + 3, 6)));
  return widths;
}

