/**
 * Custom resources: NAME, then the CRD version's additionalPrinterColumns, or NAME AGE when it
 * declares none, as the apiextensions-apiserver's tableconvertor prints them. Each column's
 * JSONPath is evaluated on the object and its first value converted by the column's type: string
 * columns print any value (objects and arrays as JSON), integer/number/boolean columns keep values
 * of their type, date columns print an age; anything else is an empty (null) cell.
 */
import type { KubeObject, PrinterColumn } from '../../api/kinds/kind';
import { humanDuration, parseTime } from './duration';
import { compileJsonPath, type JsonPath } from './jsonPath';
import { column, definePrinter, metaDoc, nameColumn, type Cell, type Printer } from './printer';

/** The column a CRD gets when it declares none. */
const ageColumn: PrinterColumn = { name: 'Age', type: 'date', description: metaDoc('creationTimestamp'), jsonPath: '.metadata.creationTimestamp' };

export function customResourcePrinter(columns: readonly PrinterColumn[] | undefined): Printer {
  const declared = columns?.length ? columns : [ageColumn];
  const paths = declared.map((c): JsonPath | undefined => {
    try {
      return compileJsonPath(c.jsonPath);
    } catch {
      return undefined; // validation admits only simple paths; print nothing for one we cannot read
    }
  });
  return definePrinter<KubeObject>({
    columns: [
      nameColumn,
      ...declared.map((c) =>
        column(c.name, c.type, c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`, {
          format: c.format ?? '',
          priority: c.priority ?? 0,
        }),
      ),
    ],
    cells(obj, now) {
      return [
        obj.metadata.name ?? '',
        ...declared.map((c, i) => {
          const found = paths[i]?.find(obj) ?? [];
          return found.length === 0 ? null : cellOf(c.type, found[0], now);
        }),
      ];
    },
  });
}

function cellOf(type: string, value: unknown, now: number): Cell {
  if (type === 'string') return text(value);
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
    case 'boolean':
      return typeof value === type ? (value as number | boolean) : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      if (value === '' || value === 'null') return '<unknown>';
      const ms = parseTime(value);
      return ms === undefined ? '<invalid>' : humanDuration(now - ms);
    }
    default:
      return null;
  }
}

/** How client-go's jsonpath prints a value: strings as they are, Go's %v for scalars, JSON otherwise. */
function text(value: unknown): string {
  if (value === null || value === undefined) return '<no value>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  return goJson(value);
}

/** An int64 as digits; a float64 as Go's %v: shortest digits, exponent form below 1e-4 or from 1e6. */
function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  const exp = Number(exponent);
  if (exp >= -4 && exp < 6) return String(n);
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** Go's json.Marshal: object keys sorted, <, > and & escaped. */
function goJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sorted(value)).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}
