/**
 * Concurrent callers of one read-only call (a listing of every container or task) share its
 * runs, and each still gets an answer no older than its own call: a caller arriving while a run
 * is under way waits for the next run, which starts when that one ends and serves everyone who
 * came meanwhile. With many pods syncing at once (each listing the runtime), at most two runs are
 * alive instead of one per caller; a listing of N containers per sync of N pods was N² work.
 */
export class SharedCall<T> {
  private current: Promise<T> | undefined;
  private next: Promise<T> | undefined;

  constructor(private readonly call: () => Promise<T>) {}

  /** A result of a run that started after this call. */
  run(): Promise<T> {
    if (!this.current) return this.start();
    if (!this.next) {
      // Starts once the current run has settled (whatever its outcome).
      this.next = this.current.then(
        () => this.start(),
        () => this.start(),
      );
    }
    return this.next;
  }

  private start(): Promise<T> {
    this.next = undefined;
    const p = this.call();
    this.current = p;
    const clear = () => {
      if (this.current === p) this.current = undefined;
    };
    p.then(clear, clear);
    return p;
  }
}
