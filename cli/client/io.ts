/**
 * What a client verb talks to: its output streams, its input, the environment and a signal that
 * ends long-running verbs (`get -w`, `logs -f`). `processIo()` is the real process; tests build
 * their own (see testing.ts) and run verbs in-process.
 *
 * Errors are one line on stderr (`error: …`); exit codes are 0 success, 1 failure, 2 usage error.
 */
import { StatusError } from '../../api/status';

export interface OutputStream {
  write(chunk: string | Uint8Array): boolean;
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
}

export interface InputStream extends NodeJS.ReadableStream {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface Io {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: InputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where relative paths (manifests, kubeconfig) are resolved. */
  readonly cwd: string;
  /** Aborted when the verb should stop (SIGINT/SIGTERM for the process). */
  readonly signal: AbortSignal;
  /** Subscribes to terminal size changes of stdout (exec -t); returns an unsubscribe. */
  onResize?(listener: () => void): () => void;
}

/**
 * The process's own streams. SIGINT/SIGTERM abort its signal (a second one exits at once); the
 * handlers are installed only when a verb first looks at the signal, so other subcommands of the
 * same program keep their own signal handling.
 */
export function processIo(): Io {
  let controller: AbortController | undefined;
  const signal = (): AbortSignal => {
    if (!controller) {
      const c = new AbortController();
      controller = c;
      const onSignal = () => {
        if (c.signal.aborted) process.exit(130);
        c.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    }
    return controller.signal;
  };
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    get signal() {
      return signal();
    },
    onResize: (listener) => {
      process.stdout.on('resize', listener);
      return () => process.stdout.off('resize', listener);
    },
  };
}

/** A failure the verb reports as one line; exit code 1 unless said otherwise (2: usage). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A usage error (bad flags or arguments): exit code 2. */
export function usageError(message: string): CliError {
  return new CliError(message, 2);
}

/** Exit with this code without printing anything more (diff's 1, exec's pass-through). */
export class ExitCode extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'ExitCode';
  }
}

/** Colour only on a terminal and without NO_COLOR. */
export function useColor(io: Io): boolean {
  return Boolean(io.stdout.isTTY) && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
}

/** The one-line message of any error (a Status error's message as the server wrote it). */
export function errorMessage(err: unknown): string {
  if (err instanceof StatusError) return statusMessage(err);
  if (isErrorLike(err)) {
    const cause = (err as { cause?: unknown }).cause;
    // fetch's "fetch failed" hides the useful part in its cause.
    if (err.message === 'fetch failed' && isErrorLike(cause)) return connectionMessage(cause);
    if (isConnectionError(err)) return connectionMessage(err);
    return err.message;
  }
  return String(err);
}

/** An Error, also one from another realm (Node's fetch errors fail `instanceof Error` under jest's vm). */
function isErrorLike(v: unknown): v is Error {
  return v instanceof Error || (typeof v === 'object' && v !== null && typeof (v as { message?: unknown }).message === 'string');
}

/** An error of the connection itself (Node's errno codes), not of an answer. */
function isConnectionError(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|EAI_AGAIN)$/.test(code);
}

function connectionMessage(cause: Error): string {
  const code = (cause as { code?: string }).code;
  const inner = (cause as { errors?: Error[] }).errors?.[0]?.message;
  if (code === 'ECONNREFUSED') return `the connection to the server was refused (${inner ?? cause.message}) - is the API server running?`;
  return `cannot reach the server: ${inner ?? cause.message}`;
}

/** A Status error in one line; a 422 lists its causes (`field: message; field: message`). */
export function statusMessage(err: StatusError): string {
  const causes = err.details?.causes ?? [];
  if (err.code === 422 && causes.length) return causes.map((c) => (c.field ? `${c.field}: ${c.message ?? ''}` : (c.message ?? ''))).join('; ');
  return err.message.replace(/\s*\n\s*/g, ' ');
}

/** Writes `error: message` (one line) and returns the exit code. */
export function reportError(io: Io, err: unknown): number {
  if (err instanceof ExitCode) return err.exitCode;
  const message = errorMessage(err).replace(/\s*\n\s*/g, ' ');
  io.stderr.write(`error: ${message}\n`);
  return err instanceof CliError ? err.exitCode : 1;
}
