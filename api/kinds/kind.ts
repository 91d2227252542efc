/**
 * A ResourceKind is everything the rest of Marina needs to know about one kind of object: its REST
 * names (for paths and discovery), its schema (type, validator, OpenAPI), and the pure functions
 * that are special about it: computed defaults, validation beyond the schema, selectable fields.
 * Built-in kinds and CRDs are both ResourceKinds and go through the same generic REST path.
 */
import type { FieldError } from '../field/errors';
import type { Schema } from '../schema/schema';
import type { ObjectMeta } from './meta';

/** Any top-level object: typed kinds are assignable to it. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

/** A stored object always has metadata. */
export type Stored<T extends KubeObject = KubeObject> = T & { metadata: ObjectMeta };

export type NameRule = 'dns1123Subdomain' | 'dns1123Label' | 'dns1035Label' | 'pathSegment';

/** The `scale` subresource: where replicas live in the object, as autoscaling/v1 Scale reads them. */
export interface ScaleSubresource {
  /** JSON path of the desired replicas, e.g. `.spec.replicas`. */
  readonly specReplicasPath: string;
  readonly statusReplicasPath: string;
  /** Where the label selector string lives in status, if any (e.g. `.status.selector`). */
  readonly labelSelectorPath?: string;
}

/** A column of a kind's Table output, as a CRD version's additionalPrinterColumns declare them. */
export interface PrinterColumn {
  readonly name: string;
  /** integer, number, string, boolean or date. */
  readonly type: string;
  readonly format?: string;
  readonly description?: string;
  readonly priority?: number;
  /** A simple JSONPath into the object, e.g. `.spec.color`. */
  readonly jsonPath: string;
}

export interface ResourceKind<T extends KubeObject = KubeObject> {
  /** API group; '' is the legacy core group served under /api/v1. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly listKind: string;
  /** The REST resource name, plural and lower case: `deployments`. */
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  /** Groupings such as `all` (for `kubectl get all`). */
  readonly categories: readonly string[];
  readonly namespaced: boolean;
  readonly schema: Schema<T>;
  /**
   * Custom resources: the schema prunes unknown fields and applies defaults, but types and values
   * are checked by `validate` alone and answered 422, as Kubernetes does for custom resources
   * (built-in kinds answer type errors 400, like a failed decode).
   */
  readonly unstructured?: boolean;
  /** Which rule metadata.name must follow (default dns1123Subdomain). */
  readonly nameRule?: NameRule;
  readonly subresources: {
    /** A /status subresource: writes to the main resource ignore status and vice versa. */
    readonly status?: boolean;
    readonly scale?: ScaleSubresource;
  };
  /**
   * Fields usable in field selectors besides metadata.name and metadata.namespace, each with
   * how to read it from an object ('' when absent, as Kubernetes compares).
   */
  readonly selectableFields?: Readonly<Record<string, FieldReader<T>>>;
  /** Custom resources: the columns of their Table output (additionalPrinterColumns). */
  readonly printerColumns?: readonly PrinterColumn[];
  /** Defaults that depend on other fields (schema defaults have already been applied). */
  defaults?(obj: T): void;
  /** Validation beyond the schema and object metadata; `old` is set for updates. */
  validate?(obj: T, old?: T): FieldError[];
}

/**
 * Reads a selectable field. Written as a method type (checked bivariantly) so that a
 * ResourceKind<Pod> is also a ResourceKind, as the generic registry needs.
 */
export type FieldReader<T> = { read(obj: T): string }['read'];

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(kind: { readonly group: string; readonly version: string }): string {
  return kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
}

/** `deployments.apps`, or `pods` for the core group: how errors name a resource. */
export function qualifiedResource(kind: { readonly group: string; readonly plural: string }): string {
  return kind.group === '' ? kind.plural : `${kind.plural}.${kind.group}`;
}

/** `Deployment.apps`, or `Pod` for the core group: how 422 Invalid errors name a kind. */
export function qualifiedKind(kind: { readonly group: string; readonly kind: string }): string {
  return kind.group === '' ? kind.kind : `${kind.kind}.${kind.group}`;
}

/** Declares a kind; the identity function that gives the object's type to the callbacks. */
export function defineKind<T extends KubeObject>(kind: ResourceKind<T>): ResourceKind<T> {
  return kind;
}
