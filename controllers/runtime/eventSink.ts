/** Moved to client/eventSink.ts (the scheduler records events too); re-exported for the controller runtime. */
export * from '../../client/eventSink';
