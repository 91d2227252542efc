/**
 * Structured logging: one JSON object per line on stderr, with time, level, component and message
 * plus any fields. Components take a Logger so tests can silence or capture it.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds these fields to every line. */
  with(fields: Record<string, unknown>): Logger;
  /** Whether lines of this level are written (to skip building fields for nothing). */
  enabled(level: LogLevel): boolean;
}

export interface LoggerOptions {
  /** Lines below this level are dropped. Default: $MARINA_LOG_LEVEL or 'info'. */
  readonly level?: LogLevel;
  /** Where lines go. Default: process.stderr. */
  readonly write?: (line: string) => void;
}

export function createLogger(component: string, options: LoggerOptions = {}): Logger {
  const envLevel = process.env.MARINA_LOG_LEVEL as LogLevel | undefined;
  const min = order[options.level ?? (envLevel && envLevel in order ? envLevel : 'info')];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const make = (base: Record<string, unknown>): Logger => {
    const log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
      if (order[level] < min) return;
      write(JSON.stringify({ time: new Date().toISOString(), level, component, msg, ...base, ...fields }, errorReplacer) + '\n');
    };
    return {
      debug: (m, f) => log('debug', m, f),
      info: (m, f) => log('info', m, f),
      warn: (m, f) => log('warn', m, f),
      error: (m, f) => log('error', m, f),
      with: (fields) => make({ ...base, ...fields }),
      enabled: (level) => order[level] >= min,
    };
  };
  return make({});
}

/** A logger that drops everything. */
export const silentLogger: Logger = createLogger('silent', { write: () => {} });

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { message: value.message, name: value.name } : value;
}
