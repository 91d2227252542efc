/**
 * What a printer is: the column definitions of a kind's meta.k8s.io Table and a function from one
 * object to its row's cells, as Kubernetes' printers (pkg/printers/internalversion) register them
 * with TableHandler. The server always prints wide, as Kubernetes' TableConvertor does: every
 * column has a cell and kubectl hides the columns of priority > 0 unless asked for `-o wide`.
 */
import type { KubeObject, Stored } from '../../api/kinds/kind';
import { ObjectMeta } from '../../api/kinds/meta';
import type { Schema, SchemaNode } from '../../api/schema/schema';

/** A cell as it goes out in JSON: kubectl prints it as it is (null shows as <none>). */
export type Cell = string | number | boolean | null;

/** meta.k8s.io/v1 TableColumnDefinition: every field is always sent, as Kubernetes does. */
export interface TableColumnDefinition {
  readonly name: string;
  /** An OpenAPI type: string, integer, number, boolean or date. */
  readonly type: string;
  /** 'name' marks the column that holds the object's name. */
  readonly format: string;
  readonly description: string;
  /** 0 for the default columns; kubectl shows higher ones only with `-o wide`. */
  readonly priority: number;
}

/** meta.k8s.io/v1 TableRowCondition (pods that finished are marked Completed). */
export interface TableRowCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
  readonly message?: string;
}

export interface Printer<T extends KubeObject = KubeObject> {
  readonly columns: readonly TableColumnDefinition[];
  /**
   * One cell per column, in order. `now` is the time ages are measured from (ms since the epoch).
   * Written as a method so that a Printer<Pod> is also a Printer (checked bivariantly).
   */
  cells(obj: Stored<T>, now: number): Cell[];
  /** The row's conditions, when the kind has any. */
  conditions?(obj: Stored<T>): readonly TableRowCondition[] | undefined;
}

/** Declares a printer for objects of type T. */
export function definePrinter<T extends KubeObject>(printer: Printer<T>): Printer<T> {
  return printer;
}

export interface ColumnOptions {
  /** Default ''. */
  readonly format?: string;
  /** Default 0. */
  readonly priority?: number;
}

export function column(name: string, type: string, description: string, options: ColumnOptions = {}): TableColumnDefinition {
  return { name, type, format: options.format ?? '', description, priority: options.priority ?? 0 };
}

/**
 * The description of a field, found by its dotted path in a kind's schema, as Kubernetes takes
 * column descriptions from the API types' SwaggerDoc. '' when the schema has no such field.
 */
export function fieldDoc(schema: Schema, path: string): string {
  let current: Schema | undefined = schema;
  let description = '';
  for (const name of path.split('.')) {
    let node: SchemaNode | undefined = current?.resolved().node;
    if (node?.type === 'array') node = node.items.resolved().node;
    current = node?.type === 'object' ? node.properties[name] : undefined;
    description = current?.meta.description ?? '';
  }
  return description;
}

/** The description of an ObjectMeta field (name, creationTimestamp). */
export function metaDoc(field: string): string {
  return fieldDoc(ObjectMeta, field);
}

/** The first column of every table: the object's name. */
export const nameColumn = column('Name', 'string', metaDoc('name'), { format: 'name' });
export const ageColumn = column('Age', 'string', metaDoc('creationTimestamp'));
export const containersColumn = (priority = 1) => column('Containers', 'string', 'Names of each container in the template.', { priority });
export const imagesColumn = (priority = 1) => column('Images', 'string', 'Images referenced by each container in the template.', { priority });
