/**
 * kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath), for `-o jsonpath=…`,
 * `-o custom-columns=…`, `--sort-by` and `wait --for=jsonpath=…`: literal text with `{…}`
 * expressions — fields (`.metadata.name`, `['key']`, `\.`-escaped dots), `[*]`, indexes and slices
 * (`[0]`, `[-1]`, `[1:3]`), recursive descent (`..name`), filters (`[?(@.type=="Ready")]`), unions
 * (`[0,1]`), string literals (`{"\n"}`), and `{range …}…{end}`. Several results of one expression
 * print separated by spaces; objects and lists print as JSON.
 */
import { JsonPathError, parseTemplate, type Node, type Path, type Step } from './jsonpathParser';

export { JsonPathError, relaxedTemplate } from './jsonpathParser';

export interface JsonPathOptions {
  /** Missing keys give no result instead of an error (kubectl get -o jsonpath allows them). */
  readonly allowMissingKeys?: boolean;
}

export class JsonPath {
  private readonly nodes: readonly Node[];

  constructor(
    readonly template: string,
    private readonly options: JsonPathOptions = {},
  ) {
    this.nodes = parseTemplate(template);
  }

  /** The template executed against `data`. */
  execute(data: unknown): string {
    return this.run(this.nodes, data, data);
  }

  /** The results of the template's expressions (for custom columns, sorting and wait). */
  results(data: unknown): unknown[][] {
    return this.nodes.filter((n): n is Extract<Node, { type: 'path' }> => n.type === 'path').map((n) => this.evaluate(n.path, data, data));
  }

  private run(nodes: readonly Node[], root: unknown, current: unknown): string {
    let out = '';
    for (const node of nodes) {
      if (node.type === 'text') out += node.text;
      else if (node.type === 'path') out += this.evaluate(node.path, root, current).map(formatValue).join(' ');
      else for (const item of this.evaluate(node.path, root, current)) out += this.run(node.body, root, item);
    }
    return out;
  }

  private evaluate(path: Path, root: unknown, current: unknown): unknown[] {
    let values: unknown[] = [current];
    const steps = path.steps;
    let start = 0;
    if (steps[0]?.type === 'field' && steps[0].name === '$') {
      values = [root];
      start = 1;
    } else if (steps[0]?.type === 'field' && steps[0].name === '@') {
      start = 1;
    }
    for (let i = start; i < steps.length; i++) values = this.step(steps[i]!, values, root);
    return values;
  }

  private step(step: Step, values: unknown[], root: unknown): unknown[] {
    const out: unknown[] = [];
    for (const v of values) {
      switch (step.type) {
        case 'field': {
          if (isObject(v) && Object.prototype.hasOwnProperty.call(v, step.name)) out.push(v[step.name]);
          break;
        }
        case 'wildcard':
          if (Array.isArray(v)) out.push(...v);
          else if (isObject(v)) for (const k of Object.keys(v).sort()) out.push(v[k]);
          break;
        case 'recursive':
          out.push(...descendants(v));
          break;
        case 'index':
          for (const idx of step.indexes) {
            if (typeof idx === 'string') {
              if (isObject(v) && Object.prototype.hasOwnProperty.call(v, idx)) out.push(v[idx]);
            } else if (Array.isArray(v)) {
              const i = idx < 0 ? v.length + idx : idx;
              if (i >= 0 && i < v.length) out.push(v[i]);
              else if (!this.options.allowMissingKeys) throw new JsonPathError(`array index out of bounds: index ${idx}, length ${v.length}`);
            }
          }
          break;
        case 'slice':
          if (Array.isArray(v)) {
            const len = v.length;
            const norm = (n: number) => (n < 0 ? Math.max(0, len + n) : Math.min(n, len));
            const s = norm(step.start ?? 0);
            const e = norm(step.end ?? len);
            const st = step.step && step.step > 0 ? step.step : 1;
            for (let i = s; i < e; i += st) out.push(v[i]);
          }
          break;
        case 'filter': {
          const items = Array.isArray(v) ? v : isObject(v) ? Object.values(v) : [];
          for (const item of items) if (this.matches(step, item, root)) out.push(item);
          break;
        }
      }
    }
    // As client-go: a key is missing only when none of the values has it (`{.items[*].x}` skips items without x).
    if (!out.length && values.length && !this.options.allowMissingKeys) {
      if (step.type === 'field') throw new JsonPathError(`${step.name} is not found`);
      const key = step.type === 'index' ? step.indexes.find((i) => typeof i === 'string') : undefined;
      if (key !== undefined) throw new JsonPathError(`${key} is not found`);
    }
    return out;
  }

  private matches(filter: Extract<Step, { type: 'filter' }>, item: unknown, root: unknown): boolean {
    const quiet = new JsonPath('', { allowMissingKeys: true });
    const left = quiet.evaluate(filter.left, root, item);
    if (!filter.op || !filter.right) return left.length > 0 && left[0] !== undefined && left[0] !== null && left[0] !== false;
    const rights = 'literal' in filter.right ? [filter.right.literal] : quiet.evaluate(filter.right, root, item);
    if (!left.length || !rights.length) return false;
    const a = left[0];
    const b = rights[0];
    switch (filter.op) {
      case '==':
        return compareLoose(a, b) === 0;
      case '!=':
        return compareLoose(a, b) !== 0;
      case '<':
        return compareLoose(a, b) < 0;
      case '>':
        return compareLoose(a, b) > 0;
      case '<=':
        return compareLoose(a, b) <= 0;
      case '>=':
        return compareLoose(a, b) >= 0;
      default:
        return false;
    }
  }
}

function compareLoose(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number' && typeof b === 'string' && b.trim() !== '' && !Number.isNaN(Number(b))) return a - Number(b);
  const sa = typeof a === 'string' ? a : JSON.stringify(a);
  const sb = typeof b === 'string' ? b : JSON.stringify(b);
  return sa === sb ? 0 : sa < sb ? -1 : 1;
}

function descendants(v: unknown): unknown[] {
  const out: unknown[] = [v];
  if (Array.isArray(v)) for (const x of v) out.push(...descendants(x));
  else if (isObject(v)) for (const k of Object.keys(v).sort()) out.push(...descendants(v[k]));
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** How a result prints: strings as they are, everything else as JSON. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  return JSON.stringify(v);
}
