/** How the node-agent server finds a container: the runtime that runs it and its log file. */
import type { ContainerRef } from '../../client/nodeAgent';
import type { ContainerRuntime } from '../runtime/interface';

export interface LocatedContainer {
  readonly runtime: ContainerRuntime;
  readonly containerId: string;
  readonly running: boolean;
  readonly logPath: string;
  readonly maxFiles: number;
}

/** A container, or the HTTP error to answer. */
export type LocateResult = LocatedContainer | { readonly code: number; readonly message: string };

export interface ContainerLocator {
  locate(ref: ContainerRef, previous?: boolean): Promise<LocateResult>;
}

export function isLocated(r: LocateResult): r is LocatedContainer {
  return 'containerId' in r;
}
