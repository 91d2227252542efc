/** Workqueues: de-duplicating, delaying and rate-limited queues of keys for controllers. */
export { DelayingQueue } from './delayingQueue';
export { queueMetrics, type QueueMetrics } from './metrics';
export { WorkQueue, type QueueKey, type WorkQueueOptions } from './queue';
export {
  BucketRateLimiter,
  ItemExponentialFailureRateLimiter,
  ItemFastSlowRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
  type RateLimiter,
} from './rateLimiters';
export { RateLimitingQueue, type RateLimitingQueueOptions } from './rateLimitingQueue';
