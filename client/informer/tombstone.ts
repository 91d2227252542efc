/**
 * What onDelete receives when the informer did not see the deletion itself: after a relist, an
 * object that is gone was deleted while the watch was away, and its final state is unknown. The
 * tombstone carries the key and the last state the cache had.
 */
export class DeletedFinalStateUnknown<T> {
  constructor(
    readonly key: string,
    /** The last state the cache held. */
    readonly obj: T,
  ) {}
}

/** The deleted object itself, or a tombstone's last known state. */
export function deletedObject<T>(deleted: T | DeletedFinalStateUnknown<T>): T {
  return deleted instanceof DeletedFinalStateUnknown ? deleted.obj : deleted;
}
