/**
 * The conversions a client may ask for in Accept, done as Kubernetes' transformResponseObject does
 * them: a meta.k8s.io Table of the object or list (kubectl's default output), or its metadata only
 * (PartialObjectMetadata, PartialObjectMetadataList). Table rows carry the object as
 * PartialObjectMetadata by default, the whole object with `?includeObject=Object` (kubectl
 * --sort-by), nothing with `?includeObject=None`.
 */
import { apiVersionOf, type KubeObject, type ResourceKind } from '../../api/kinds/kind';
import type { ObjectMeta } from '../../api/kinds/meta';
import * as status from '../../api/status';
import { printerFor } from '../printers/registry';
import type { Cell, TableColumnDefinition, TableRowCondition } from '../printers/printer';
import type { ObjectList } from '../registry/list';
import type { StoredObject } from '../storage/interface';
import type { OutputConversion } from './codec';
import { param } from './query';
import type { Query } from './request';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  /** What each row carries of its object. Default Metadata. */
  readonly includeObject?: IncludeObject;
  /** Leaves out the column definitions (watch events after the first). Default false. */
  readonly noHeaders?: boolean;
}

interface ListMetaOut {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface PartialObjectMetadata {
  readonly kind: 'PartialObjectMetadata';
  readonly apiVersion: string;
  readonly metadata: ObjectMeta;
}

export interface TableRow {
  readonly cells: Cell[];
  readonly conditions?: readonly TableRowCondition[];
  readonly object: KubeObject | PartialObjectMetadata | null;
}

export interface Table {
  readonly kind: 'Table';
  readonly apiVersion: string;
  readonly metadata: ListMetaOut;
  /** null after the first event of a watch, as Kubernetes sends them. */
  readonly columnDefinitions: readonly TableColumnDefinition[] | null;
  readonly rows: TableRow[];
}

/** TableOptions from the query string; 400 for an includeObject Kubernetes does not know. */
export function tableOptions(query: Query): TableOptions {
  const includeObject = param(query, 'includeObject');
  if (includeObject !== '' && includeObject !== 'None' && includeObject !== 'Metadata' && includeObject !== 'Object') {
    throw status.badRequest(
      `Unable to convert to Table as requested: includeObject: Invalid value: ${JSON.stringify(includeObject)}: must be 'Metadata', 'Object', 'None', or empty`,
    );
  }
  return includeObject ? { includeObject } : {};
}

/** A get or list answer: an ObjectList of the kind, or one object. */
function isList(kind: ResourceKind, result: unknown): result is ObjectList {
  const r = result as Partial<ObjectList> | null;
  return typeof r === 'object' && r !== null && r.kind === kind.listKind && Array.isArray(r.items);
}

/** ListMeta as Kubernetes copies it to a Table or PartialObjectMetadataList. */
function listMeta(meta: ObjectList['metadata']): ListMetaOut {
  return {
    ...(meta.resourceVersion ? { resourceVersion: meta.resourceVersion } : {}),
    ...(meta.continue ? { continue: meta.continue } : {}),
    ...(meta.remainingItemCount !== undefined ? { remainingItemCount: meta.remainingItemCount } : {}),
  };
}

/** The kind and apiVersion of a PartialObjectMetadata of meta.k8s.io `version`. */
export function partialObjectMetadataType(version: string): { kind: 'PartialObjectMetadata'; apiVersion: string } {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}` };
}

export function asPartialObjectMetadata(obj: KubeObject, version: string): PartialObjectMetadata {
  return { ...partialObjectMetadataType(version), metadata: obj.metadata ?? {} };
}

/** The Table of one object or a list of `kind`, its ages measured from `now`. */
export function toTable(kind: ResourceKind, result: StoredObject | ObjectList, version: string, options: TableOptions = {}, now = Date.now()): Table {
  const printer = printerFor(kind);
  const list = isList(kind, result) ? result : undefined;
  const items = list ? list.items : [result as StoredObject];
  const includeObject = options.includeObject ?? 'Metadata';
  const rows = items.map((item): TableRow => {
    const conditions = printer.conditions?.(item);
    const object =
      includeObject === 'None'
        ? null
        : includeObject === 'Object'
          ? { apiVersion: apiVersionOf(kind), kind: kind.kind, ...item }
          : asPartialObjectMetadata(item, version);
    return { cells: printer.cells(item, now), ...(conditions ? { conditions } : {}), object };
  });
  // One object's Table carries its resourceVersion, as Kubernetes' CommonAccessor reads it.
  const metadata = listMeta(list ? list.metadata : { resourceVersion: (result as StoredObject).metadata.resourceVersion });
  return { kind: 'Table', apiVersion: `meta.k8s.io/${version}`, metadata, columnDefinitions: options.noHeaders ? null : printer.columns, rows };
}

/** Go's %T of a kind's object or list, for Kubernetes' NotAcceptable messages. */
function goType(kind: ResourceKind, list: boolean): string {
  if (kind.unstructured) return list ? '*unstructured.UnstructuredList' : '*unstructured.Unstructured';
  return `*${kind.version}.${list ? kind.listKind : kind.kind}`;
}

/**
 * `result` (a get or list answer of `kind`) in the form `convert` asks for. A Status passes as it
 * is; PartialObjectMetadata of a list, or PartialObjectMetadataList of one object, is 406.
 */
export function convertOutput(kind: ResourceKind, result: StoredObject | ObjectList, convert: OutputConversion, query: Query): unknown {
  if ((result as { kind?: unknown }).kind === 'Status') return result;
  const list = isList(kind, result);
  switch (convert.kind) {
    case 'Table':
      return toTable(kind, result, convert.version, tableOptions(query));
    case 'PartialObjectMetadata':
      if (list) throw status.notAcceptable(`you requested PartialObjectMetadata, but the requested object is a list (${goType(kind, true)})`);
      return asPartialObjectMetadata(result as StoredObject, convert.version);
    case 'PartialObjectMetadataList':
      if (!list) throw status.notAcceptable(`you requested PartialObjectMetadataList, but the requested object is not a list (${goType(kind, false)})`);
      return {
        kind: 'PartialObjectMetadataList',
        apiVersion: `meta.k8s.io/${convert.version}`,
        metadata: listMeta(result.metadata),
        items: result.items.map((item) => asPartialObjectMetadata(item, convert.version)),
      };
  }
}

/**
 * The JSON of each object of a watch in the form `convert` asks for, for one watcher: one-row
 * Tables whose column definitions only the first event carries (as Kubernetes' watch encoder
 * does), or PartialObjectMetadata. What cannot be converted (PartialObjectMetadataList) goes out
 * whole, as Kubernetes sends it after logging the failure.
 */
export function watchObjectEncoder(kind: ResourceKind, convert: OutputConversion, query: Query): (obj: StoredObject) => string {
  if (convert.kind === 'PartialObjectMetadata') return (obj) => JSON.stringify(asPartialObjectMetadata(obj, convert.version));
  if (convert.kind !== 'Table') return (obj) => JSON.stringify(obj);
  const options = tableOptions(query);
  let headersSent = false;
  return (obj) => {
    const table = toTable(kind, obj, convert.version, { ...options, noHeaders: headersSent });
    headersSent = true;
    return JSON.stringify(table);
  };
}
