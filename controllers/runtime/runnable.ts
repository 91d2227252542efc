/** What a Manager runs: controllers, and anything else with a start and a stop signal. */

export interface Runnable {
  /**
   * Runs until `signal` aborts. The promise (if any) settles once the runnable has completely
   * stopped — for a controller, once in-flight reconciles have finished — and the manager waits
   * for it when stopping. A rejection before the signal aborts is logged as a failure.
   */
  start(signal: AbortSignal): Promise<void> | void;
  /** Run only while this process holds the leader lease. Default true. */
  readonly needsLeaderElection?: boolean;
}
