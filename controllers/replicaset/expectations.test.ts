import { FakeClock } from '../../client/clock';
import { ControllerExpectations, expectationsTimeoutMs } from './expectations';

describe('ControllerExpectations', () => {
  it('is satisfied with no record, and once every expected create is observed', () => {
    const e = new ControllerExpectations(new FakeClock());
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectCreations('ns/rs', 2);
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
    // More than expected: still satisfied.
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('counts each expected deletion once, by pod key, and ignores unexpected ones', () => {
    const e = new ControllerExpectations(new FakeClock());
    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/a'); // deletion timestamp, then removal
    e.deletionObserved('ns/rs', 'ns/zzz');
    expect(e.pending('ns/rs')).toEqual({ add: 0, del: 1 });
    expect(e.satisfied('ns/rs')).toBe(false);
    e.deletionObserved('ns/rs', 'ns/b');
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('gives up waiting after the timeout (a lost event must not stall the controller)', () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations(clock);
    e.expectCreations('ns/rs', 3);
    clock.advance(expectationsTimeoutMs);
    expect(e.satisfied('ns/rs')).toBe(false);
    clock.advance(1);
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('forgets a deleted controller', () => {
    const e = new ControllerExpectations(new FakeClock());
    e.expectCreations('ns/rs', 1);
    e.delete('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
    expect(e.pending('ns/rs')).toBeUndefined();
  });
});
