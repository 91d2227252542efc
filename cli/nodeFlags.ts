/**
 * V8 flags for Marina's long-running components.
 *
 * - A larger young generation (32 MiB semi-spaces instead of V8's 16) means fewer scavenges under
 *   a steady stream of requests: about 15% more API server throughput in bench/apiserver on a
 *   2-core machine.
 * - Garbage collection on the main thread only. A Marina cluster is several busy processes on one
 *   small machine (etcd, API server, scheduler, controllers, node agents): V8's GC helper threads
 *   compete with the other processes for the same cores, and coordinating them costs CPU of its
 *   own. In bench/scheduler (1,000 nodes, 6 alternating pairs of runs) the API server used about
 *   5% less CPU per pod and 5 of 6 pairs bound more pods per second; bench/apiserver's p99 create
 *   latency did not grow.
 * - A first old-generation limit of 128 MiB (--initial-old-space-size). A component's caches grow
 *   from nothing to their working size while it runs (the scheduler's informers hold every pod).
 *   Until then V8 sets the limit a little above the live heap, so each step of growth starts another
 *   full marking of the whole heap, on the main thread since GC is single-threaded here; Go's
 *   collector, which Kubernetes' components run on, lets the heap double before collecting. In
 *   bench/scheduler at 1,000 nodes (20 runs on one day, 11 without the flag and 9 with it) the
 *   scheduler's median CPU per pod fell from 0.78 to 0.63 ms and the median rate rose from 732 to
 *   800 pods/s. The limit is where collection starts, not memory taken up front: an idle API
 *   server stays near 90 MiB, and bench/apiserver's RSS with 10,000 pods and 100 watchers went
 *   from 231 to 243 MiB.
 */
export const serverNodeFlags: readonly string[] = ['--max-semi-space-size=32', '--single-threaded-gc', '--initial-old-space-size=128'];
