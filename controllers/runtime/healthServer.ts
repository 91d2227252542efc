/** Moved to client/healthServer.ts (the scheduler uses it too); re-exported for the controller runtime. */
export * from '../../client/healthServer';
