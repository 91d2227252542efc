/**
 * Container log files (the kubelet's CRI log handling): lines in the CRI format
 * `<RFC 3339 nano time> <stdout|stderr> <F|P> <text>` (raw lines are taken as stdout without a
 * time), rotated by size with copy-and-truncate into `<log>.1` … `<log>.N`, and served with
 * Kubernetes' log options: tailLines, sinceSeconds/sinceTime, timestamps, limitBytes and follow.
 */
import { copyFile, open, readFile, rename, rm, stat, truncate } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { sleep } from '../../client/clock';
import type { ContainerLogOptions } from '../../client/nodeAgent';

export interface LogLine {
  /** The time as written (RFC 3339 nano), if any. */
  readonly time?: string;
  readonly ms?: number;
  readonly stream: 'stdout' | 'stderr';
  /** A piece of a line: no newline follows it. */
  readonly partial: boolean;
  readonly text: string;
}

const criLine = /^(\S+) (stdout|stderr) ([FP]) ?(.*)$/s;

export function parseLogLine(line: string): LogLine {
  const m = criLine.exec(line);
  if (m) {
    const ms = Date.parse(m[1]!);
    if (!Number.isNaN(ms)) return { time: m[1]!, ms, stream: m[2] as 'stdout' | 'stderr', partial: m[3] === 'P', text: m[4]! };
  }
  return { stream: 'stdout', partial: false, text: line };
}

/** A line as served: with its time first when asked (`fallbackTime` for a raw line that has none). */
export function formatLogLine(line: LogLine, timestamps: boolean, fallbackTime = new Date(0).toISOString()): string {
  const prefix = timestamps ? `${line.time ?? fallbackTime} ` : '';
  return `${prefix}${line.text}${line.partial ? '' : '\n'}`;
}

/** The rotated files of a log, oldest first. */
export function rotatedPaths(path: string, maxFiles: number): string[] {
  const out: string[] = [];
  for (let i = maxFiles; i >= 1; i--) out.push(`${path}.${i}`);
  return out;
}

/** Every line of a log (rotated files first), for a finished read. */
export async function readLogLines(path: string, maxFiles = 5): Promise<LogLine[]> {
  const current = (await readFile(path).catch(() => undefined)) ?? Buffer.alloc(0);
  return splitLines((await readRotated(path, maxFiles)) + current.toString('utf8'));
}

/**
 * The complete lines of a log (rotated files first) and how many bytes of the current file they
 * took, for a read that goes on following: it continues from exactly there, so a line written
 * meanwhile is neither lost nor served twice, and a line still being written is served whole.
 */
async function readCompleteLines(path: string, maxFiles: number): Promise<{ lines: LogLine[]; consumed: number }> {
  const rotated = await readRotated(path, maxFiles);
  const current = (await readFile(path).catch(() => undefined)) ?? Buffer.alloc(0);
  const consumed = current.lastIndexOf(0x0a) + 1;
  return { lines: splitLines(rotated + current.subarray(0, consumed).toString('utf8')), consumed };
}

async function readRotated(path: string, maxFiles: number): Promise<string> {
  let text = '';
  for (const p of rotatedPaths(path, maxFiles)) text += (await readFile(p, 'utf8').catch(() => undefined)) ?? '';
  return text;
}

function splitLines(text: string): LogLine[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map(parseLogLine);
}

/**
 * Rotates a log once it exceeds `maxBytes`: `<log>.N-1` → `<log>.N` …, a copy of the log becomes
 * `<log>.1`, then the log is truncated (the runtime keeps appending to the same file).
 */
export async function rotateLog(path: string, maxBytes: number, maxFiles: number): Promise<boolean> {
  const st = await stat(path).catch(() => undefined);
  if (!st || st.size <= maxBytes || maxFiles < 1) return false;
  await rm(`${path}.${maxFiles}`, { force: true });
  for (let i = maxFiles - 1; i >= 1; i--) await rename(`${path}.${i}`, `${path}.${i + 1}`).catch(() => undefined);
  await copyFile(path, `${path}.1`);
  await truncate(path, 0);
  rotations.set(path, (rotations.get(path) ?? 0) + 1);
  return true;
}

/**
 * Rotations so far by log path. The agent rotates its logs itself, so a follower learns of a
 * rotation here even when the log has grown past its read position again since (which its size
 * alone would not tell).
 */
const rotations = new Map<string, number>();

/** Forgets the rotations of logs that are gone (a pod's removal). */
export function forgetRotations(prefix: string): void {
  for (const path of rotations.keys()) if (path.startsWith(prefix)) rotations.delete(path);
}

export interface ServeLogOptions {
  readonly maxFiles?: number;
  /** Whether the container may still write (follow ends once it does not and all is read). */
  readonly running?: () => Promise<boolean>;
  /** Follow polling interval. Default 200 ms. */
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  readonly now?: number;
}

/** Writes the log to `out` as the options ask; resolves when done (or the signal aborts). */
export async function serveLog(path: string, options: ContainerLogOptions, out: Writable, serve: ServeLogOptions = {}): Promise<void> {
  const maxFiles = serve.maxFiles ?? 5;
  const since = options.sinceTime ? Date.parse(options.sinceTime) : options.sinceSeconds !== undefined ? (serve.now ?? Date.now()) - options.sinceSeconds * 1000 : undefined;
  let budget = options.limitBytes ?? Infinity;
  // Raw lines (a runtime that writes plain output) have no time of their own: those already in the
  // file get the file's modification time, those read while following the time they are read.
  let fallbackTime = (await stat(path).catch(() => undefined))?.mtime.toISOString();
  const emit = (line: LogLine): boolean => {
    if (since !== undefined && line.ms !== undefined && line.ms < since) return budget > 0;
    const text = Buffer.from(formatLogLine(line, !!options.timestamps, fallbackTime));
    const part = text.length <= budget ? text : text.subarray(0, Math.max(0, budget));
    budget -= part.length;
    if (part.length) out.write(part);
    return budget > 0;
  };

  let offset = 0;
  let lines: LogLine[];
  if (options.follow) ({ lines, consumed: offset } = await readCompleteLines(path, maxFiles));
  else lines = await readLogLines(path, maxFiles);
  if (options.tailLines !== undefined) lines = lines.slice(Math.max(0, lines.length - options.tailLines));
  for (const line of lines) if (!emit(line)) return;
  if (!options.follow) return;

  let pending = '';
  const pollMs = serve.pollMs ?? 200;
  let lastRunningCheck = 0;
  let running = true;
  let rotated = rotations.get(path) ?? 0;
  for (;;) {
    if (serve.signal?.aborted) return;
    const { data, size, bytes } = await readFrom(path, offset);
    if (size < offset || (rotations.get(path) ?? 0) !== rotated) {
      rotated = rotations.get(path) ?? 0;
      // Rotated: the rest of what we had not read is at the end of <log>.1.
      const rest = await readFrom(`${path}.1`, offset);
      pending += rest.data;
      offset = 0;
      continue;
    }
    offset += bytes;
    pending += data;
    if (data !== '') fallbackTime = new Date().toISOString();
    const parts = pending.split('\n');
    pending = parts.pop()!;
    for (const l of parts) if (l !== '' && !emit(parseLogLine(l))) return;
    if (data === '') {
      const now = Date.now();
      if (serve.running && now - lastRunningCheck >= 1000) {
        lastRunningCheck = now;
        const wasRunning = running;
        running = await serve.running();
        if (!running && !wasRunning) return;
        if (!running) continue; // one more read for what it wrote last
      }
      try {
        await sleep(pollMs, serve.signal);
      } catch {
        return;
      }
    }
  }
}

async function readFrom(path: string, offset: number): Promise<{ data: string; size: number; bytes: number }> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return { data: '', size: 0, bytes: 0 };
  try {
    const { size } = await handle.stat();
    if (size <= offset) return { data: '', size, bytes: 0 };
    const buf = Buffer.alloc(Math.min(size - offset, 1 << 20));
    const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
    return { data: buf.subarray(0, bytesRead).toString('utf8'), size, bytes: bytesRead };
  } finally {
    await handle.close();
  }
}
