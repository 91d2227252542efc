/** The object helpers controller authors use, in one import (each lives in its own file). */
export { AlreadyOwnedError, controllerRef, getControllerOf, isOwnedBy, removeOwnerReference, setControllerReference, setOwnerReference, type Owner } from './ownerReferences';
export { addFinalizer, hasFinalizer, isBeingDeleted, removeFinalizer } from './finalizers';
export { createOrUpdate, createOrUpdateObject, type Mutate, type OperationResult } from './createOrUpdate';
export { patchContentTypes, patchObject, type PatchOptions, type PatchType } from './patch';
export { updateStatus } from './updateStatus';
export { isConflict, retryOnConflict, type RetryOptions } from './retry';
