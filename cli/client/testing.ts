/**
 * An in-memory Io for tests: what a verb prints is collected, stdin is a given text, and the
 * environment and working directory are the test's.
 */
import { Readable } from 'node:stream';
import type { Io, InputStream, OutputStream } from './io';

export interface MemoryOutput extends OutputStream {
  readonly rows: number;
  text(): string;
}

export function memoryOutput(isTTY = false): MemoryOutput {
  let buffer = '';
  return {
    isTTY,
    columns: 120,
    rows: 40,
    write(chunk: string | Uint8Array) {
      buffer += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    },
    text: () => buffer,
  };
}

export interface MemoryIo extends Io {
  readonly stdout: MemoryOutput;
  readonly stderr: MemoryOutput;
  /** Ends long-running verbs (as Ctrl-C would). */
  abort(): void;
}

export interface MemoryIoOptions {
  readonly stdin?: string | InputStream;
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  readonly tty?: boolean;
}

export function memoryIo(options: MemoryIoOptions = {}): MemoryIo {
  const controller = new AbortController();
  const stdin: InputStream = typeof options.stdin === 'object' ? options.stdin : Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]);
  return {
    stdout: memoryOutput(options.tty ?? false),
    stderr: memoryOutput(options.tty ?? false),
    stdin,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    signal: controller.signal,
    abort: () => controller.abort(),
  };
}
