/**
 * Label selectors: parsed from the `labelSelector` query string (`app=web,tier!=db,env in (a,b),!gpu`)
 * or built from a metav1.LabelSelector, and matched against an object's labels. A selector is a
 * list of requirements that are ANDed; the empty selector matches everything.
 */
import type { LabelSelector } from '../kinds/meta';
import { badRequest } from '../status';
import { isQualifiedName, isValidLabelValue } from '../validation/names';

export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>> | undefined;

export function matches(requirements: readonly Requirement[], labels: Labels): boolean {
  return requirements.every((r) => matchesRequirement(r, labels));
}

function matchesRequirement(r: Requirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key]! : undefined;
  switch (r.operator) {
    case 'In':
      return has && r.values.includes(value!);
    case 'NotIn':
      return !has || !r.values.includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || !/^-?\d+$/.test(value!)) return false;
      const have = Number(value);
      const want = Number(r.values[0]);
      return r.operator === 'Gt' ? have > want : have < want;
    }
  }
}

/** The requirements of a metav1.LabelSelector (assumed valid: see validateLabelSelector). */
export function fromLabelSelector(selector: LabelSelector): Requirement[] {
  const reqs: Requirement[] = Object.entries(selector.matchLabels ?? {}).map(([key, v]) => ({ key, operator: 'In', values: [v] }));
  for (const e of selector.matchExpressions ?? []) {
    reqs.push({ key: e.key, operator: e.operator as Operator, values: e.values ?? [] });
  }
  return reqs;
}

/** True when a metav1.LabelSelector selects `labels`; a missing selector selects nothing. */
export function labelSelectorMatches(selector: LabelSelector | undefined, labels: Labels): boolean {
  return selector !== undefined && matches(fromLabelSelector(selector), labels);
}

/** The query-string form, as kubectl and Kubernetes print it. */
export function formatLabelSelector(requirements: readonly Requirement[]): string {
  return requirements
    .map((r) => {
      switch (r.operator) {
        case 'In':
          return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
        case 'NotIn':
          return r.values.length === 1 ? `${r.key}!=${r.values[0]}` : `${r.key} notin (${r.values.join(',')})`;
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
        case 'Gt':
          return `${r.key}>${r.values[0]}`;
        case 'Lt':
          return `${r.key}<${r.values[0]}`;
      }
    })
    .join(',');
}

type Token = { kind: 'id'; text: string } | { kind: 'op'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if ('(),'.includes(c)) {
      tokens.push({ kind: 'op', text: c });
      i++;
    } else if (input.startsWith('==', i) || input.startsWith('!=', i)) {
      tokens.push({ kind: 'op', text: input.slice(i, i + 2) });
      i += 2;
    } else if ('=!<>'.includes(c)) {
      tokens.push({ kind: 'op', text: c });
      i++;
    } else {
      let j = i;
      while (j < input.length && !/[\s(),=!<>]/.test(input[j]!)) j++;
      tokens.push({ kind: 'id', text: input.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

/**
 * Parses the `labelSelector` query parameter. Throws 400 BadRequest on syntax errors and on keys
 * or values that could never be valid labels.
 */
export function parseLabelSelector(input: string): Requirement[] {
  const tokens = tokenize(input);
  const reqs: Requirement[] = [];
  let pos = 0;
  const fail = (why: string): never => {
    throw badRequest(`unable to parse requirement: ${why} (in label selector "${input}")`);
  };
  const peek = (): Token | undefined => tokens[pos];
  const identifier = (what: string): string => {
    const t = tokens[pos++];
    if (!t || t.kind !== 'id') fail(`expected ${what}, found ${t ? `'${t.text}'` : 'end of input'}`);
    return t!.text;
  };
  const checkKey = (key: string): void => {
    const errs = isQualifiedName(key);
    if (errs.length) fail(`invalid label key "${key}": ${errs.join('; ')}`);
  };
  const checkValue = (value: string): void => {
    const errs = isValidLabelValue(value);
    if (errs.length) fail(`invalid label value: "${value}": at key: ${errs.join('; ')}`);
  };
  while (pos < tokens.length) {
    let negated = false;
    if (peek()?.text === '!' && peek()?.kind === 'op') {
      negated = true;
      pos++;
    }
    const key = identifier('a label key');
    checkKey(key);
    const next = peek();
    if (negated) {
      reqs.push({ key, operator: 'DoesNotExist', values: [] });
    } else if (!next || (next.kind === 'op' && next.text === ',')) {
      reqs.push({ key, operator: 'Exists', values: [] });
    } else if (next.kind === 'op' && ['=', '==', '!='].includes(next.text)) {
      pos++;
      // An empty value is allowed: `key=` selects the empty label value.
      const t = peek();
      const value = t && t.kind === 'id' ? (pos++, t.text) : '';
      checkValue(value);
      reqs.push({ key, operator: next.text === '!=' ? 'NotIn' : 'In', values: [value] });
    } else if (next.kind === 'op' && (next.text === '>' || next.text === '<')) {
      pos++;
      const value = identifier('an integer');
      if (!/^-?\d+$/.test(value)) fail(`for 'Gt', 'Lt' operators, the value must be an integer, found "${value}"`);
      reqs.push({ key, operator: next.text === '>' ? 'Gt' : 'Lt', values: [value] });
    } else if (next.kind === 'id' && (next.text === 'in' || next.text === 'notin')) {
      pos++;
      if (tokens[pos++]?.text !== '(') fail(`expected '(' after '${next.text}'`);
      // Every slot between '(' / ',' and ',' / ')' is a value, possibly empty, as in Kubernetes:
      // `x in ()` is `x in ("")` and `x in (a,)` is `x in (a,"")`.
      const values: string[] = [];
      for (;;) {
        const t = peek();
        const value = t?.kind === 'id' ? (pos++, t.text) : '';
        checkValue(value);
        values.push(value);
        const sep = tokens[pos++];
        if (sep?.text === ')') break;
        if (sep?.text !== ',') fail(`expected ',' or ')' in the values of '${key}'`);
      }
      reqs.push({ key, operator: next.text === 'in' ? 'In' : 'NotIn', values });
    } else {
      fail(`found '${next.text}', expected: '=', '!=', '==', 'in', notin'`);
    }
    const sep = tokens[pos];
    if (sep === undefined) break;
    if (sep.kind !== 'op' || sep.text !== ',') fail(`found '${sep.text}', expected: ',' or 'end of string'`);
    pos++;
    if (pos === tokens.length) fail('found end of string after \',\', expected: a requirement');
  }
  return reqs;
}
