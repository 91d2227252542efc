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
 */
export const serverNodeFlags: readonly string[] = ['--max-semi-space-size=32', '--single-threaded-gc'];
