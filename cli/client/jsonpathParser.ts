/**
 * Parsing kubectl's JSONPath templates (see jsonpath.ts): the template into text, expressions and
 * `{range}` blocks; an expression into steps (fields, wildcards, recursive descent, indexes and
 * unions, slices, filters).
 */

export type Step =
  | { readonly type: 'field'; readonly name: string }
  | { readonly type: 'wildcard' }
  | { readonly type: 'recursive' }
  | { readonly type: 'index'; readonly indexes: readonly (number | string)[] }
  | { readonly type: 'slice'; readonly start?: number; readonly end?: number; readonly step?: number }
  | { readonly type: 'filter'; readonly left: Path; readonly op?: string; readonly right?: Path | { readonly literal: unknown } };

export interface Path {
  readonly steps: readonly Step[];
}

export type Node =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'path'; readonly path: Path }
  | { readonly type: 'range'; readonly path: Path; readonly body: readonly Node[] };

export class JsonPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPathError';
  }
}

export function parseTemplate(template: string): Node[] {
  const tokens: ({ kind: 'text'; text: string } | { kind: 'expr'; text: string })[] = [];
  let i = 0;
  let text = '';
  while (i < template.length) {
    const c = template[i]!;
    if (c === '{') {
      if (text) tokens.push({ kind: 'text', text });
      text = '';
      const end = findClose(template, i);
      tokens.push({ kind: 'expr', text: template.slice(i + 1, end).trim() });
      i = end + 1;
    } else {
      text += c;
      i++;
    }
  }
  if (text) tokens.push({ kind: 'text', text });
  let pos = 0;
  const parseBlock = (inRange: boolean): Node[] => {
    const nodes: Node[] = [];
    while (pos < tokens.length) {
      const t = tokens[pos++]!;
      if (t.kind === 'text') {
        nodes.push({ type: 'text', text: t.text });
        continue;
      }
      if (t.text === 'end') {
        if (!inRange) throw new JsonPathError('not in range, nothing to end');
        return nodes;
      }
      if (t.text.startsWith('range ') || t.text === 'range') {
        const path = parsePath(t.text.slice(5).trim());
        const body = parseBlock(true);
        nodes.push({ type: 'range', path, body });
        continue;
      }
      const literal = stringLiteral(t.text);
      if (literal !== undefined) nodes.push({ type: 'text', text: literal });
      else nodes.push({ type: 'path', path: parsePath(t.text) });
    }
    if (inRange) throw new JsonPathError('unclosed range (missing {end})');
    return nodes;
  };
  return parseBlock(false);
}

function findClose(s: string, open: number): number {
  let quote = '';
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  throw new JsonPathError(`unclosed action in ${JSON.stringify(s)}`);
}

function stringLiteral(text: string): string | undefined {
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0]) {
    return text.slice(1, -1).replace(/\\(.)/g, (_, ch: string) => ({ n: '\n', t: '\t', r: '\r' })[ch] ?? ch);
  }
  return undefined;
}

export function parsePath(text: string): Path {
  const steps: Step[] = [];
  let i = 0;
  const s = text.trim();
  if (s === '' ) return { steps };
  if (s[0] === '$' || s[0] === '@') {
    steps.push({ type: 'field', name: s[0] });
    i = 1;
  }
  while (i < s.length) {
    const c = s[i]!;
    if (c === '.') {
      if (s[i + 1] === '.') {
        steps.push({ type: 'recursive' });
        i += 2;
        continue;
      }
      i++;
      if (s[i] === '*') {
        steps.push({ type: 'wildcard' });
        i++;
        continue;
      }
      let name = '';
      while (i < s.length && s[i] !== '.' && s[i] !== '[') {
        if (s[i] === '\\' && i + 1 < s.length) {
          name += s[i + 1];
          i += 2;
        } else name += s[i++];
      }
      if (name) steps.push({ type: 'field', name });
    } else if (c === '[') {
      const end = matchingBracket(s, i);
      steps.push(parseBracket(s.slice(i + 1, end).trim()));
      i = end + 1;
    } else if (c === '*') {
      steps.push({ type: 'wildcard' });
      i++;
    } else {
      let name = '';
      while (i < s.length && s[i] !== '.' && s[i] !== '[') name += s[i++];
      steps.push({ type: 'field', name });
    }
  }
  return { steps };
}

function matchingBracket(s: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  throw new JsonPathError(`unterminated array in ${JSON.stringify(s)}`);
}

function parseBracket(inner: string): Step {
  if (inner === '*') return { type: 'wildcard' };
  if (inner.startsWith('?')) {
    const m = /^\?\((.*)\)$/s.exec(inner);
    if (!m) throw new JsonPathError(`bad filter ${inner}`);
    const expr = m[1]!.trim();
    const op = /(==|!=|<=|>=|<|>)/.exec(expr);
    if (!op) return { type: 'filter', left: parsePath(expr) };
    const left = parsePath(expr.slice(0, op.index).trim());
    const rightText = expr.slice(op.index + op[0].length).trim();
    return { type: 'filter', left, op: op[0], right: parseOperand(rightText) };
  }
  if (/^-?\d*:-?\d*(:-?\d*)?$/.test(inner)) {
    const [a, b, c] = inner.split(':');
    return {
      type: 'slice',
      ...(a ? { start: Number(a) } : {}),
      ...(b ? { end: Number(b) } : {}),
      ...(c ? { step: Number(c) } : {}),
    };
  }
  const indexes = splitUnion(inner).map((part) => {
    const lit = stringLiteral(part);
    if (lit !== undefined) return lit;
    if (/^-?\d+$/.test(part)) return Number(part);
    return part;
  });
  return { type: 'index', indexes };
}

function splitUnion(inner: string): string[] {
  const parts: string[] = [];
  let quote = '';
  let cur = '';
  for (const c of inner) {
    if (quote) {
      cur += c;
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
      cur += c;
    } else if (c === ',') {
      parts.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  parts.push(cur.trim());
  return parts.filter(Boolean);
}

function parseOperand(text: string): Path | { literal: unknown } {
  const lit = stringLiteral(text);
  if (lit !== undefined) return { literal: lit };
  if (/^-?\d+(\.\d+)?$/.test(text)) return { literal: Number(text) };
  if (text === 'true' || text === 'false') return { literal: text === 'true' };
  if (text === 'null') return { literal: null };
  return parsePath(text);
}

/** `.metadata.name` or `{.metadata.name}` (as --sort-by and custom-columns take them) as a template. */
export function relaxedTemplate(expr: string): string {
  const t = expr.trim();
  if (t.startsWith('{')) return t;
  return `{${t.startsWith('.') || t.startsWith('$') || t.startsWith('@') || t.startsWith('[') ? t : `.${t}`}}`;
}

