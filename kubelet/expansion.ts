/**
 * Kubernetes' $(VAR) expansion (third_party/forked/golang/expansion): `$(NAME)` is replaced by the
 * variable's value when it is defined and kept as written otherwise, `$$` is an escaped `$`, and
 * anything else (`$x`, an unterminated `$(`, a trailing `$`) passes through unchanged. Used for
 * env values (against the variables defined before them) and for command and args (against the
 * container's final environment).
 */

/** Looks a name up in each map in turn; undefined when none defines it. */
export type Mapping = (name: string) => string | undefined;

export function mappingFor(...contexts: readonly ReadonlyMap<string, string>[]): Mapping {
  return (name) => {
    for (const vars of contexts) {
      const value = vars.get(name);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}

export function expand(input: string, mapping: Mapping): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const next = input[cursor + 1];
    let advance = 1;
    if (next === '$') {
      out += '$';
    } else if (next === '(') {
      const close = input.indexOf(')', cursor + 2);
      if (close < 0) {
        out += '$(';
      } else {
        const name = input.slice(cursor + 2, close);
        out += mapping(name) ?? `$(${name})`;
        advance = close - cursor;
      }
    } else {
      out += '$' + next;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/** A container's command and args with $(VAR) references expanded against its environment. */
export function expandCommandAndArgs(
  command: readonly string[] | undefined,
  args: readonly string[] | undefined,
  env: readonly { readonly name: string; readonly value: string }[],
): { command: string[]; args: string[] } {
  const vars = new Map<string, string>();
  for (const e of env) vars.set(e.name, e.value);
  const mapping = mappingFor(vars);
  return { command: (command ?? []).map((c) => expand(c, mapping)), args: (args ?? []).map((a) => expand(a, mapping)) };
}
