/**
 * `marina events [--for TYPE/NAME] [--types Warning,Normal] [-A] [-o json|yaml]`: the events of
 * a namespace, oldest first, in the server's event table (LAST SEEN TYPE REASON OBJECT MESSAGE).
 * `marina get events -w` watches them.
 */
import { Command } from 'commander';
import type { KubeObject } from '../../api/kinds/kind';
import type { Cli } from './command';
import { usageError } from './io';
import { alignColumns, formatObjects, parseOutputFormat, tableAccept, tableRows, type Table } from './printers';
import { eventTime } from './readiness';
import { parseTargets } from './resources';

interface EventsOptions {
  readonly for?: string;
  readonly types?: string;
  readonly allNamespaces?: boolean;
  readonly output?: string;
  /** false with --no-headers (commander's negatable flag). */
  readonly headers?: boolean;
}

interface EventObject extends KubeObject {
  readonly type?: string;
  readonly involvedObject?: { readonly kind?: string; readonly name?: string };
}

export function eventsCommand(cli: Cli): Command {
  const cmd = new Command('events')
    .description('List events, oldest first (--for TYPE/NAME: only about that object)')
    .option('--for <type/name>', 'only events about this object')
    .option('--types <types>', 'only these event types (comma-separated: Normal, Warning)')
    .option('-A, --all-namespaces', 'in every namespace')
    .option('-o, --output <format>', 'json|yaml')
    .option('--no-headers', 'do not print headers');
  return cli.verb<EventsOptions>(cmd, async (ctx) => {
    const opts = ctx.opts;
    const format = parseOutputFormat(opts.output, ['json', 'yaml']);
    const session = await ctx.session();
    let about: { kind: string; name: string } | undefined;
    if (opts.for) {
      const [t] = parseTargets(await session.mapper(), [opts.for]);
      if (!t?.name) throw usageError(`--for must be TYPE/NAME, not "${opts.for}"`);
      about = { kind: t.resource.kind, name: t.name };
    }
    const types = opts.types ? opts.types.split(',').map((t) => t.trim().toLowerCase()) : undefined;
    const path = opts.allNamespaces ? '/api/v1/events' : `/api/v1/namespaces/${session.namespace}/events`;
    const fieldSelector = about ? `involvedObject.kind=${about.kind},involvedObject.name=${about.name}` : undefined;
    const table = await session.client.call<Table>('GET', path, { query: { includeObject: 'Object', fieldSelector }, headers: { Accept: tableAccept } });
    const wanted = (e: EventObject | undefined) => !types || types.includes((e?.type ?? '').toLowerCase());
    const rows = (table.rows ?? []).filter((r) => wanted(r.object as EventObject)).sort((a, b) => eventTime(a.object as EventObject).localeCompare(eventTime(b.object as EventObject)));
    if (format.type !== 'table') {
      session.io.stdout.write(formatObjects(format, rows.map((r) => ({ apiVersion: 'v1', kind: 'Event', ...r.object })), { single: false }));
      return 0;
    }
    if (!rows.length) {
      session.io.stderr.write(opts.allNamespaces ? 'No events found.\n' : `No events found in ${session.namespace} namespace.\n`);
      return 0;
    }
    const lines = tableRows({ table: { ...table, rows }, resource: { group: '', kind: 'Event' } }, { wide: false, withKind: false, withNamespace: opts.allNamespaces ?? false, showLabels: false, noHeaders: opts.headers === false });
    session.io.stdout.write(alignColumns(lines));
    return 0;
  });
}
