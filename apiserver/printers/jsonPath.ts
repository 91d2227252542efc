/**
 * The JSONPath subset that CRD printer columns use, evaluated as Kubernetes' client-go jsonpath
 * does with missing keys allowed: `.a.b`, `.a['b.c']`, `.a[0].b`, `.a[-1]`, `.a[*].b`, `.a.*` and
 * filters such as `.status.conditions[?(@.type=="Ready")].status`. A missing key yields no value.
 */

type Step =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'all' }
  | { readonly kind: 'filter'; readonly path: readonly Step[]; readonly op: '==' | '!='; readonly value: unknown };

/** A compiled path: `find(obj)` returns every value it reaches, in order. */
export interface JsonPath {
  find(obj: unknown): unknown[];
}

/** Compiles `path` (with or without the surrounding `{}`); throws on syntax it does not support. */
export function compileJsonPath(path: string): JsonPath {
  const text = path.trim().replace(/^\{(.*)\}$/s, '$1').trim();
  const steps = parseSteps(text, 0, text.length);
  return { find: (obj) => evaluate(steps, [obj]) };
}

function parseSteps(text: string, start: number, end: number): Step[] {
  const steps: Step[] = [];
  let i = start;
  // A leading `$` or `@` names the root (or the filtered element).
  if (text[i] === '$' || text[i] === '@') i++;
  while (i < end) {
    const c = text[i];
    if (c === '.') {
      i++;
      if (text[i] === '*') {
        steps.push({ kind: 'all' });
        i++;
        continue;
      }
      let j = i;
      while (j < end && text[j] !== '.' && text[j] !== '[') j++;
      if (j === i) {
        if (i === end) break; // a lone `.` is the whole object
        throw new Error(`invalid JSONPath ${JSON.stringify(text)}: empty field name`);
      }
      steps.push({ kind: 'field', name: text.slice(i, j) });
      i = j;
    } else if (c === '[') {
      const close = closingBracket(text, i, end);
      steps.push(parseBracket(text.slice(i + 1, close).trim()));
      i = close + 1;
    } else {
      throw new Error(`invalid JSONPath ${JSON.stringify(text)}: unexpected ${JSON.stringify(c)}`);
    }
  }
  return steps;
}

/** The index of the `]` closing the `[` at `open`, skipping quoted strings and nested brackets. */
function closingBracket(text: string, open: number, end: number): number {
  let depth = 0;
  for (let i = open; i < end; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const q = text.indexOf(c, i + 1);
      if (q < 0) break;
      i = q;
    } else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  throw new Error(`invalid JSONPath ${JSON.stringify(text)}: unclosed [`);
}

function parseBracket(inner: string): Step {
  if (inner === '*') return { kind: 'all' };
  if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  const quoted = /^(['"])(.*)\1$/s.exec(inner);
  if (quoted) return { kind: 'field', name: quoted[2]! };
  const filter = /^\?\((.*)\)$/s.exec(inner);
  if (filter) {
    const m = /^(@[^=!\s]*)\s*(==|!=)\s*(.+)$/s.exec(filter[1]!.trim());
    if (!m) throw new Error(`unsupported JSONPath filter ${JSON.stringify(inner)}`);
    return { kind: 'filter', path: parseSteps(m[1]!, 0, m[1]!.length), op: m[2] as '==' | '!=', value: literal(m[3]!.trim()) };
  }
  throw new Error(`unsupported JSONPath subscript [${inner}]`);
}

function literal(text: string): unknown {
  const quoted = /^(['"])(.*)\1$/s.exec(text);
  if (quoted) return quoted[2];
  if (text === 'true' || text === 'false') return text === 'true';
  const n = Number(text);
  if (text !== '' && !Number.isNaN(n)) return n;
  throw new Error(`unsupported JSONPath literal ${text}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function evaluate(steps: readonly Step[], values: unknown[]): unknown[] {
  let current = values;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      switch (step.kind) {
        case 'field':
          if (isObject(value) && Object.prototype.hasOwnProperty.call(value, step.name)) next.push(value[step.name]);
          break;
        case 'index':
          if (Array.isArray(value)) {
            const i = step.index < 0 ? value.length + step.index : step.index;
            if (i >= 0 && i < value.length) next.push(value[i]);
          }
          break;
        case 'all':
          if (Array.isArray(value)) next.push(...value);
          else if (isObject(value)) next.push(...Object.keys(value).sort().map((k) => value[k]));
          break;
        case 'filter':
          if (Array.isArray(value)) {
            for (const item of value) {
              const found = evaluate(step.path, [item]);
              const equal = found.length > 0 && found[0] === step.value;
              if (step.op === '==' ? equal : found.length > 0 && !equal) next.push(item);
            }
          }
          break;
      }
    }
    current = next;
  }
  return current;
}
