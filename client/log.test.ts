import { createLogger, silentLogger, type LoggerOptions } from './log';

function capture(component = 'test', options: Omit<LoggerOptions, 'write'> = {}) {
  const lines: string[] = [];
  const logger = createLogger(component, { ...options, write: (line) => lines.push(line) });
  const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, parsed };
}

describe('createLogger', () => {
  const savedLevel = process.env.MARINA_LOG_LEVEL;
  beforeEach(() => {
    delete process.env.MARINA_LOG_LEVEL;
  });
  afterAll(() => {
    if (savedLevel === undefined) delete process.env.MARINA_LOG_LEVEL;
    else process.env.MARINA_LOG_LEVEL = savedLevel;
  });

  it('writes one JSON object per line per call, with time, level, component, message and fields', () => {
    const { logger, lines, parsed } = capture('scheduler');
    const before = Date.now();
    logger.info('bound pod', { pod: 'default/web', node: 'n1' });
    logger.warn('multi\nline message');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
    }
    const [first, second] = parsed();
    expect(first).toEqual({ time: expect.any(String), level: 'info', component: 'scheduler', msg: 'bound pod', pod: 'default/web', node: 'n1' });
    expect(new Date(first!.time as string).toISOString()).toBe(first!.time);
    expect(Date.parse(first!.time as string)).toBeGreaterThanOrEqual(before - 1000);
    expect(second).toMatchObject({ level: 'warn', msg: 'multi\nline message' });
  });

  it('logs info and above by default', () => {
    const { logger, parsed } = capture();
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(parsed().map((l) => l.level)).toEqual(['info', 'warn', 'error']);
  });

  it('drops lines below the configured level', () => {
    const { logger, parsed } = capture('c', { level: 'warn' });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(parsed().map((l) => l.msg)).toEqual(['w', 'e']);
    const all = capture('c', { level: 'debug' });
    all.logger.debug('d');
    expect(all.parsed().map((l) => l.level)).toEqual(['debug']);
  });

  it('takes the level from MARINA_LOG_LEVEL unless given one, ignoring unknown values', () => {
    process.env.MARINA_LOG_LEVEL = 'error';
    const fromEnv = capture();
    fromEnv.logger.warn('w');
    fromEnv.logger.error('e');
    expect(fromEnv.parsed().map((l) => l.msg)).toEqual(['e']);

    const explicit = capture('c', { level: 'debug' });
    explicit.logger.debug('d');
    expect(explicit.lines).toHaveLength(1);

    process.env.MARINA_LOG_LEVEL = 'verbose';
    const bogus = capture();
    bogus.logger.debug('d');
    bogus.logger.info('i');
    expect(bogus.parsed().map((l) => l.msg)).toEqual(['i']);
  });

  it('with() adds fields to every line of a derived logger, leaving the parent alone', () => {
    const { logger, parsed } = capture();
    const child = logger.with({ controller: 'deployment' });
    const grandchild = child.with({ key: 'default/web' });
    grandchild.info('sync', { attempt: 2 });
    child.info('idle');
    logger.info('plain');
    expect(parsed()).toEqual([
      expect.objectContaining({ msg: 'sync', controller: 'deployment', key: 'default/web', attempt: 2 }),
      expect.objectContaining({ msg: 'idle', controller: 'deployment' }),
      expect.not.objectContaining({ controller: expect.anything() }),
    ]);
    expect(parsed()[1]).not.toHaveProperty('key');
  });

  it('lets call fields override with() fields', () => {
    const { logger, parsed } = capture();
    logger.with({ key: 'a' }).info('m', { key: 'b' });
    expect(parsed()[0]!.key).toBe('b');
  });

  it('serializes errors by message and name, also when nested', () => {
    const { logger, parsed } = capture();
    logger.error('failed', { err: new TypeError('boom'), ctx: { cause: new Error('inner') } });
    expect(parsed()[0]).toMatchObject({ err: { message: 'boom', name: 'TypeError' }, ctx: { cause: { message: 'inner', name: 'Error' } } });
  });

  it('writes to stderr by default', () => {
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      createLogger('c').info('hello');
      expect(spy).toHaveBeenCalledTimes(1);
      expect(JSON.parse(String(spy.mock.calls[0]![0]))).toMatchObject({ msg: 'hello', component: 'c' });
    } finally {
      spy.mockRestore();
    }
  });
});

describe('silentLogger', () => {
  it('drops everything', () => {
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      silentLogger.error('nothing', { a: 1 });
      silentLogger.with({ b: 2 }).error('still nothing');
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
