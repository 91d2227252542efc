/**
 * CEL expressions (github.com/google/cel-spec) for CustomResourceDefinition validation rules,
 * evaluated with @marcbachmann/cel-js: parsed once, evaluated many times (a few microseconds each).
 * Integers are BigInts and doubles are numbers, as the library represents CEL's int and double.
 */
import type * as CelJs from '@marcbachmann/cel-js' with { 'resolution-mode': 'import' };

// The library is an ES module; require() loads it synchronously (Node >= 20.19), and so does jest
// once swc has turned it into CommonJS (jest.config.js).
const cel = require('@marcbachmann/cel-js') as typeof CelJs;

/** A compiled expression: evaluate it with its variables (e.g. { self, oldSelf }). */
export type CelProgram = (variables: Readonly<Record<string, unknown>>) => unknown;

/** A CEL expression that does not parse; the message is the library's first line. */
export class CelCompileError extends Error {
  override readonly name = 'CelCompileError';
}

/** Parses `expression`; throws CelCompileError with the reason when it is not valid CEL. */
export function compileCel(expression: string): CelProgram {
  let program: CelJs.ParseResult;
  try {
    program = cel.parse(expression);
  } catch (err) {
    throw new CelCompileError(firstLine(err));
  }
  return (variables) => program(variables as CelJs.Context);
}

/** The first line of an error's message (the library adds the expression and a caret below it). */
export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
}

/** Whether the expression refers to `oldSelf` (a transition rule, evaluated only on updates). */
export function usesOldSelf(expression: string): boolean {
  return /(^|[^\w.])oldSelf\b/.test(expression);
}
