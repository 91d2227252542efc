/** Moved to client/events.ts (the scheduler records events too); re-exported for the controller runtime. */
export * from '../../client/events';
