/** Informers: list + watch into an indexed cache, shared by every consumer of a resource. */
export { Backoff, type BackoffOptions } from './backoff';
export { SharedInformerFactory, informerKey, type SharedInformerFactoryOptions } from './factory';
export type { HandlerOptions, HandlerRegistration, ResourceEventHandler } from './handlers';
export { byController, byNamespace, byNodeName, byOwnerUid, controllerIndex, namespaceIndex, nodeNameIndex, orphanKey, ownerUidIndex, type IndexFunc, type Indexers } from './indexers';
export { keyOf, objectKey, splitKey } from './keys';
export { Lister } from './lister';
export { restListerWatcher, type InformerScope, type ListerWatcher, type ListPageOptions, type WatchFromOptions } from './listerWatcher';
export { Reflector, WatchSilentError, isExpired, type ReflectorOptions, type ReflectorSink, type ReflectorStats } from './reflector';
export { SharedIndexInformer, type SharedInformerOptions } from './sharedInformer';
export { ThreadSafeStore, type ReadonlyIndexer, type ThreadSafeStoreOptions } from './store';
export { DeletedFinalStateUnknown, deletedObject } from './tombstone';
