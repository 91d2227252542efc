import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseLogLine, rotateLog, serveLog } from './containerLog';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'marina-log-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const line = (sec: number, text: string, stream = 'stdout', tag = 'F') => `2025-01-02T03:04:${String(sec).padStart(2, '0')}.000000001Z ${stream} ${tag} ${text}\n`;

async function read(path: string, options: Parameters<typeof serveLog>[1], now?: number): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  await serveLog(path, options, out, now !== undefined ? { now } : {});
  return text;
}

test('CRI lines and raw lines', () => {
  expect(parseLogLine('2025-01-02T03:04:05.1Z stderr P part')).toMatchObject({ stream: 'stderr', partial: true, text: 'part', time: '2025-01-02T03:04:05.1Z' });
  expect(parseLogLine('just text')).toEqual({ stream: 'stdout', partial: false, text: 'just text' });
});

test('tail, timestamps, since, limitBytes and partial lines', async () => {
  const path = join(dir, '0.log');
  await writeFile(path, line(1, 'a') + line(2, 'b') + line(3, 'c', 'stdout', 'P') + line(3, 'd') + line(4, 'e', 'stderr'));
  expect(await read(path, {})).toBe('a\nb\ncd\ne\n');
  expect(await read(path, { tailLines: 1 })).toBe('e\n');
  expect(await read(path, { tailLines: 1, timestamps: true })).toBe('2025-01-02T03:04:04.000000001Z e\n');
  expect(await read(path, { sinceTime: '2025-01-02T03:04:03Z' })).toBe('cd\ne\n');
  expect(await read(path, { sinceSeconds: 2 }, Date.parse('2025-01-02T03:04:05Z'))).toBe('cd\ne\n');
  expect(await read(path, { limitBytes: 3 })).toBe('a\nb');
});

/**
 * Follows `path` (serveLog with follow) into a string: `until` waits (5 s at most) for text to
 * appear, `finish` marks the container stopped and resolves to everything served.
 */
function follow(path: string, pollMs: number) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  let running = true;
  const abort = new AbortController();
  const done = serveLog(path, { follow: true }, out, { pollMs, running: async () => running, signal: abort.signal });
  return {
    async until(want: string): Promise<void> {
      for (const deadline = Date.now() + 5000; !text.includes(want); ) {
        if (Date.now() > deadline) throw new Error(`no ${JSON.stringify(want)} in ${JSON.stringify(text)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async finish(): Promise<string> {
      running = false;
      await done;
      return text;
    },
    abort: () => abort.abort(),
  };
}

test('rotation copies and truncates; reads span rotated files; follow picks up across a rotation', async () => {
  const path = join(dir, '0.log');
  await writeFile(path, line(1, 'old'));
  expect(await rotateLog(path, 1 << 20, 3)).toBe(false);
  expect(await rotateLog(path, 10, 3)).toBe(true);
  expect(await readFile(path, 'utf8')).toBe('');
  await appendFile(path, line(2, 'new'));
  expect(await read(path, {})).toBe('old\nnew\n');

  const f = follow(path, 300);
  try {
    await f.until('new\n');
    // Rotated and grown past the follower's position before it looks again: still read right.
    await appendFile(path, line(3, 'more'));
    await rotateLog(path, 10, 3);
    await appendFile(path, line(4, 'after, and longer than before'));
    await f.until('before\n');
    expect(await f.finish()).toBe('old\nnew\nmore\nafter, and longer than before\n');
  } finally {
    f.abort();
  }
});

test('follow serves a line still being written when it starts as one line, once', async () => {
  const path = join(dir, '1.log');
  // A raw log whose last line has no newline yet: the writer is in the middle of it.
  await writeFile(path, 'first\nsec');
  const f = follow(path, 20);
  try {
    await f.until('first\n');
    await appendFile(path, 'ond\nthird\n');
    await f.until('third\n');
    expect(await f.finish()).toBe('first\nsecond\nthird\n');
  } finally {
    f.abort();
  }
});
