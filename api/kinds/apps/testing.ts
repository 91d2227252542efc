/** Test helpers for the workload kinds: the API server's create path and the website manifests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isStatusError } from '../../status';
import { decodeObject, defaultObject, validateObject, type FieldValidation } from '../decode';
import { apiVersionOf, type KubeObject, type ResourceKind } from '../kind';

/** decode → defaults → validation, as the API server runs them on create (or update with `old`). */
export function admit<T extends KubeObject>(kind: ResourceKind<T>, body: unknown, old?: T, fieldValidation: FieldValidation = 'Strict'): T {
  const { object } = decodeObject(kind, structuredClone(body), fieldValidation);
  defaultObject(kind, object);
  validateObject(kind, object, old);
  return object;
}

/** The 422 causes `fn` throws, as `field: message`; fails when it does not throw a 422. */
export function causesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (!isStatusError(err, 422)) throw err;
    return (err.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
  }
  throw new Error('expected a 422 Invalid error');
}

const manifestsRoot = join(__dirname, '../../../test/fixtures/manifests/k8s-website');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

/** Every document of `kind` in the Kubernetes website manifests, namespaced to default when absent. */
export function websiteManifests(kind: ResourceKind): { file: string; doc: Record<string, unknown> }[] {
  const out: { file: string; doc: Record<string, unknown> }[] = [];
  for (const file of yamlFiles(manifestsRoot)) {
    for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const doc: unknown = document.toJS();
      if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) continue;
      const obj = doc as Record<string, unknown>;
      if (obj.kind !== kind.kind || obj.apiVersion !== apiVersionOf(kind)) continue;
      const metadata = (obj.metadata ?? {}) as Record<string, unknown>;
      if (kind.namespaced) metadata.namespace ??= 'default';
      obj.metadata = metadata;
      out.push({ file: file.slice(manifestsRoot.length + 1), doc: obj });
    }
  }
  return out;
}
