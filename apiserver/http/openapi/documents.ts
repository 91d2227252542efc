/**
 * The OpenAPI documents of what the registry serves, built from the kinds' schemas:
 *   - v3: one document per group-version (`api/v1`, `apis/apps/v1`), listed by the index with a
 *     hash of each (the sha512 of its JSON, as Kubernetes computes it), so that clients cache a
 *     document by its URL and fetch it again only when it changes;
 *   - v2: one document for everything.
 * Documents are kept, with their JSON and hash, and rebuilt only when the resources of their
 * group-version change: the registry's stores are compared by identity on each request (a new
 * or updated CRD adds a new store), which costs little next to rebuilding.
 */
import { createHash } from 'node:crypto';
import { apiVersionOf } from '../../../api/kinds/kind';
import { type JsonObject, OpenApiSchemas } from '../../../api/schema/openapi';
import type { ResourceRegistry } from '../../registry/resourceRegistry';
import type { ResourceStore } from '../../registry/store';
import { serverVersion } from '../health';
import { publishedKind } from './kindSchemas';
import { resourceListPath, resourcePaths, type PathItem } from './operations';
import { renderPaths } from './render';

export interface OpenApiDocument {
  readonly json: string;
  /** Upper-case hex sha512 of `json`. */
  readonly hash: string;
}

interface Built {
  readonly stores: readonly ResourceStore[];
  readonly document: OpenApiDocument;
}

export class OpenApiDocuments {
  private readonly v3Built = new Map<string, Built>();
  private v2Built: Built | undefined;
  private indexBuilt: { readonly documents: readonly OpenApiDocument[]; readonly document: OpenApiDocument } | undefined;

  constructor(private readonly registry: ResourceRegistry) {}

  /** The v3 document of a group-version path (`api/v1`, `apis/apps/v1`), or undefined if not served. */
  v3(path: string): OpenApiDocument | undefined {
    return this.refreshV3().get(path);
  }

  /** `{"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=..."},...}}` */
  v3Index(): OpenApiDocument {
    const documents = this.refreshV3();
    const list = [...documents.values()];
    if (!this.indexBuilt || !sameItems(this.indexBuilt.documents, list)) {
      const paths: JsonObject = {};
      for (const [path, doc] of documents) paths[path] = { serverRelativeURL: v3Url(path, doc.hash) };
      this.indexBuilt = { documents: list, document: serialize({ paths }) };
    }
    return this.indexBuilt.document;
  }

  v2(): OpenApiDocument {
    const stores = sortedStores(this.registry.all());
    if (!this.v2Built || !sameItems(this.v2Built.stores, stores)) {
      this.v2Built = { stores, document: serialize(buildV2(stores)) };
    }
    return this.v2Built.document;
  }

  /** The v3 documents by path, sorted by path, each rebuilt if its stores changed. */
  private refreshV3(): Map<string, OpenApiDocument> {
    const current = groupStores(sortedStores(this.registry.all()));
    for (const path of this.v3Built.keys()) if (!current.has(path)) this.v3Built.delete(path);
    const out = new Map<string, OpenApiDocument>();
    for (const path of [...current.keys()].sort()) {
      const stores = current.get(path)!;
      let built = this.v3Built.get(path);
      if (!built || !sameItems(built.stores, stores)) {
        built = { stores, document: serialize(buildV3(stores)) };
        this.v3Built.set(path, built);
      }
      out.set(path, built.document);
    }
    return out;
  }
}

/** `/openapi/v3/apis/apps/v1?hash=...` */
export function v3Url(path: string, hash: string): string {
  return `/openapi/v3/${path}?hash=${hash}`;
}

/** The v3 document of one group-version's stores. */
export function buildV3(stores: readonly ResourceStore[]): JsonObject {
  const schemas = new OpenApiSchemas('v3');
  const paths = renderPaths(pathItems(stores), schemas);
  return { openapi: '3.0.0', info: info(), paths, components: { schemas: schemas.components() } };
}

/** The v2 document (Swagger 2.0) of all the given stores. */
export function buildV2(stores: readonly ResourceStore[]): JsonObject {
  const schemas = new OpenApiSchemas('v2');
  const items = [...groupStores(stores).values()].flatMap((group) => pathItems(group));
  return { swagger: '2.0', info: info(), paths: renderPaths(items, schemas), definitions: schemas.components() };
}

/** The paths of one group-version's stores, with its resource list. */
function pathItems(stores: readonly ResourceStore[]): PathItem[] {
  if (stores.length === 0) return [];
  return [
    resourceListPath(stores[0]!.kind),
    ...stores.flatMap((store) => resourcePaths({ kind: store.kind, returnsDeletedObject: store.strategy.returnDeletedObject === true }, publishedKind(store.kind))),
  ];
}

function info(): JsonObject {
  return { title: 'Kubernetes', version: serverVersion.gitVersion };
}

/** `api/v1` or `apis/<group>/<version>`: the document's path under /openapi/v3. */
function documentPath(store: ResourceStore): string {
  return store.kind.group === '' ? `api/${store.kind.version}` : `apis/${apiVersionOf(store.kind)}`;
}

function groupStores(stores: readonly ResourceStore[]): Map<string, ResourceStore[]> {
  const groups = new Map<string, ResourceStore[]>();
  for (const store of stores) {
    const path = documentPath(store);
    const group = groups.get(path) ?? [];
    group.push(store);
    groups.set(path, group);
  }
  return groups;
}

/** Stores in a stable order (the registry's changes as CRDs come and go). */
function sortedStores(stores: readonly ResourceStore[]): ResourceStore[] {
  const key = (s: ResourceStore) => `${s.kind.group}/${s.kind.version}/${s.kind.plural}`;
  return [...stores].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function serialize(doc: JsonObject): OpenApiDocument {
  const json = JSON.stringify(doc);
  return { json, hash: createHash('sha512').update(json).digest('hex').toUpperCase() };
}
