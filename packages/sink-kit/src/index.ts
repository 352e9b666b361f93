export { BoundedQueue } from './bounded-queue.js';
export type { PushResult, QueueEntry, WhenFull } from './bounded-queue.js';
export { countDrop, createDeliveryCounters, describeDrops } from './delivery-counters.js';
export type { DeliveryCounters, DropCounters } from './delivery-counters.js';
export { RETRY_AFTER_CAP_MS, backoffDelay, retryDelay } from './backoff.js';
export type { BackoffPolicy } from './backoff.js';
export { describeTransportError, isTlsTrustError, transportErrorCode } from './transport-errors.js';
export type { DescribeOptions, DescribedError } from './transport-errors.js';
export { createPayloadGuard } from './payload-guard.js';
