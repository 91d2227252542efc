/**
 * Field selectors (`metadata.name=x,status.phase!=Running`): exact-match requirements on a few
 * fields per kind. Each kind declares which fields are selectable and how to read them.
 */
import { badRequest } from '../status';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

/** Parses the `fieldSelector` query parameter; throws 400 on syntax errors. */
export function parseFieldSelector(input: string): FieldRequirement[] {
  const reqs: FieldRequirement[] = [];
  for (const part of splitTerms(input)) {
    const term = part.trim();
    if (term === '') continue;
    const match = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!match) throw badRequest(`invalid selector: '${input}'; can't understand '${term}'`);
    reqs.push({ field: match[1]!.trim(), operator: match[2] === '!=' ? '!=' : '=', value: unescape(match[3]!.trim()) });
  }
  return reqs;
}

/** Splits on commas that are not escaped with a backslash. */
function splitTerms(input: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === '\\' && i + 1 < input.length) {
      current += c + input[++i];
    } else if (c === ',') {
      terms.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  terms.push(current);
  return terms;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

export type FieldGetter<T> = (obj: T) => string;

/**
 * Compiles requirements against a kind's selectable fields into a predicate. Throws 400
 * "field label not supported" for a field the kind does not offer.
 */
export function compileFieldSelector<T>(reqs: readonly FieldRequirement[], fields: Readonly<Record<string, FieldGetter<T>>>): (obj: T) => boolean {
  const checks = reqs.map((r) => {
    const get = Object.prototype.hasOwnProperty.call(fields, r.field) ? fields[r.field] : undefined;
    if (!get) throw badRequest(`field label not supported: ${r.field}`);
    return (obj: T) => (get(obj) === r.value) === (r.operator === '=');
  });
  return (obj) => checks.every((check) => check(obj));
}

/** The value a field selector requires of `field`, when it requires one exact value. */
export function requiredValue(reqs: readonly FieldRequirement[], field: string): string | undefined {
  return reqs.find((r) => r.field === field && r.operator === '=')?.value;
}
