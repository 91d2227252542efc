/**
 * The published schemas of a served kind: the kind itself and its List kind, each a named
 * component tagged with x-kubernetes-group-version-kind (kubectl finds a kind's schema by it).
 * Built-in kinds are named in their definitions (io.k8s.api.core.v1.Pod); a custom resource's
 * schema, which has no name, is named as Kubernetes names it: the group reversed, the version and
 * the kind (com.example.stable.v1.CronTab), with its root description and keywords, and the
 * standard description of metadata.
 */
import type { ResourceKind } from '../../../api/kinds/kind';
import { ListMeta, objectMetaField, typeMeta } from '../../../api/kinds/meta';
import type { GroupVersionKind, ObjectNode, Schema } from '../../../api/schema/schema';
import * as s from '../../../api/schema/schema';

export interface PublishedKind {
  readonly gvk: GroupVersionKind;
  /** The kind's schema, named; its metadata is the component's (see OpenApiSchemas.ref). */
  readonly schema: Schema;
  readonly list: Schema;
}

const conventions = 'More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md';

// Kinds are immutable and a CRD update makes a new one, so the published schemas can be kept.
const published = new WeakMap<ResourceKind, PublishedKind>();

export function publishedKind(kind: ResourceKind): PublishedKind {
  let result = published.get(kind);
  if (!result) {
    result = build(kind);
    published.set(kind, result);
  }
  return result;
}

function build(kind: ResourceKind): PublishedKind {
  const gvk = { group: kind.group, version: kind.version, kind: kind.kind };
  const root = kind.schema.resolved();
  if (root.node.type !== 'object') throw new Error(`the schema of ${kind.kind} is not an object`);
  const name = root.node.name ?? `${kind.group.split('.').reverse().join('.')}.${kind.version}.${kind.kind}`;
  const properties = { ...root.node.properties };
  // A custom resource's metadata is described as every kind's is (the CRD rarely says anything).
  if (properties.metadata && properties.metadata.meta.description === undefined) properties.metadata = properties.metadata.with({ description: objectMetaField.meta.description });
  const node: ObjectNode = { ...root.node, name, properties, gvk: root.node.gvk ?? [gvk] };
  const schema = new s.Schema(node, root.meta);
  // The items refer to the component alone: the root's own metadata describes the kind, not an item.
  const item = new s.Schema(node);
  const list = s.object(
    `${name.slice(0, name.lastIndexOf('.') + 1)}${kind.listKind}`,
    `${kind.listKind} is a list of ${kind.kind}.`,
    {
      ...typeMeta(),
      items: s.array(item, `List of ${kind.plural}. ${conventions}`),
      metadata: ListMeta.doc(`Standard list metadata. ${conventions}#types-kinds`),
    },
    { required: ['items'], gvk: [{ ...gvk, kind: kind.listKind }] },
  );
  return { gvk, schema, list };
}
