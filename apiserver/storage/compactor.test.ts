import { silentLogger } from '../../client/log';
import { startCompactor } from './compactor';
import type { Storage } from './interface';

/** A store whose revision the test moves, recording compactions. */
function fakeStore() {
  const state = { revision: 1, compacted: [] as number[] };
  const storage = {
    currentRevision: async () => state.revision,
    compact: async (revision: number) => {
      state.compacted.push(revision);
    },
  } as unknown as Storage;
  return { state, storage };
}

describe('compactor', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('compacts to the newest revision noted at least the retention ago, never newer', async () => {
    const { state, storage } = fakeStore();
    const compactor = startCompactor(storage, { retentionMs: 300_000, intervalMs: 60_000, log: silentLogger });
    // A mark every minute, the revision growing by 10 each time.
    for (let minute = 0; minute <= 7; minute++) {
      jest.setSystemTime(minute * 60_000);
      state.revision = 100 + minute * 10;
      await compactor.tick();
    }
    compactor.stop();
    // At minute 5 the mark of minute 0 (100) became due, then 110 at 6, 120 at 7.
    expect(state.compacted).toEqual([100, 110, 120]);
  });

  it('does not compact again to the same revision', async () => {
    const { state, storage } = fakeStore();
    const compactor = startCompactor(storage, { retentionMs: 1_000, intervalMs: 1_000, log: silentLogger });
    state.revision = 50;
    for (let t = 0; t <= 5_000; t += 1_000) {
      jest.setSystemTime(t);
      await compactor.tick();
    }
    compactor.stop();
    expect(state.compacted).toEqual([50]);
  });
});
