/**
 * At most N of the agents' API writes in flight at once. Hollow nodes share one: a thousand
 * nodes writing together would otherwise exceed the API server's in-flight limit and be
 * answered 429 — fewer requests waiting here finish sooner than many retried there.
 */
export type RequestLimit = <T>(fn: () => Promise<T>) => Promise<T>;

/** No limit. */
export const unlimited: RequestLimit = (fn) => fn();

export function requestLimit(max: number): RequestLimit {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next(); // the slot passes on
      else active--;
    }
  };
}
