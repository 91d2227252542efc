/**
 * Admission: after a request is decoded, defaulted and validated, and before it is stored, each
 * plugin may change it (admit, mutating) and then refuse it (validate). Plugins throw Status
 * errors to refuse.
 */
import type { KubeObject, ResourceKind } from '../../api/kinds/kind';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionAttributes {
  readonly operation: Operation;
  readonly kind: ResourceKind;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly subresource: string | undefined;
  /** The object as it will be stored (CREATE, UPDATE). */
  readonly object: KubeObject | undefined;
  /** The stored object (UPDATE, DELETE). */
  readonly oldObject: KubeObject | undefined;
  readonly dryRun: boolean;
}

export interface AdmissionPlugin {
  readonly name: string;
  admit?(attributes: AdmissionAttributes): void | Promise<void>;
  validate?(attributes: AdmissionAttributes): void | Promise<void>;
}

/**
 * The plugins in order. As in Kubernetes, mutating admission runs before the object is validated
 * (so what plugins add is validated too) and validating admission after.
 */
export class AdmissionChain {
  constructor(private readonly plugins: readonly AdmissionPlugin[]) {}

  async admit(attributes: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.admit) await p.admit(attributes);
  }

  async validate(attributes: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.validate) await p.validate(attributes);
  }
}
