import { errorMessage, type FieldError } from '../field/errors';
import type { ObjectMeta } from '../kinds/meta';
import { totalAnnotationSizeLimit, validateAnnotations, validateLabels, validateObjectMeta, validateObjectMetaUpdate, type ObjectMetaRules } from './objectMeta';

const namespaced: ObjectMetaRules = { namespaced: true, nameRule: 'dns1123Subdomain' };
const clusterScoped: ObjectMetaRules = { namespaced: false, nameRule: 'dns1123Subdomain' };

const messages = (errs: readonly FieldError[]) => errs.map(errorMessage);
const fields = (errs: readonly FieldError[]) => errs.map((e) => e.field);

const ownerRef = (name: string, controller?: boolean) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  name,
  uid: `uid-${name}`,
  ...(controller === undefined ? {} : { controller }),
});

describe('validateObjectMeta: names', () => {
  it('accepts a valid object', () => {
    expect(validateObjectMeta({ name: 'web', namespace: 'default' }, namespaced)).toEqual([]);
    expect(validateObjectMeta({ name: 'node-1.example.com' }, clusterScoped)).toEqual([]);
  });

  it('requires name or generateName, with Kubernetes\' message', () => {
    const errs = validateObjectMeta({ namespace: 'default' }, namespaced);
    expect(errs).toEqual([{ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' }]);
    expect(messages(errs)).toEqual(['metadata.name: Required value: name or generateName is required']);
    expect(fields(validateObjectMeta({ name: '', generateName: '', namespace: 'default' }, namespaced))).toEqual(['metadata.name']);
  });

  it('accepts generateName alone, allowing its trailing dash', () => {
    expect(validateObjectMeta({ generateName: 'web-', namespace: 'default' }, namespaced)).toEqual([]);
    expect(validateObjectMeta({ generateName: 'web', namespace: 'default' }, namespaced)).toEqual([]);
    expect(validateObjectMeta({ generateName: 'web-', namespace: 'default' }, { namespaced: true, nameRule: 'dns1035Label' })).toEqual([]);
  });

  it('rejects an invalid generateName prefix', () => {
    const errs = validateObjectMeta({ generateName: 'Web-', namespace: 'default' }, namespaced);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ type: 'FieldValueInvalid', field: 'metadata.generateName', badValue: 'Web-' });
    expect(fields(validateObjectMeta({ generateName: 'a/b-', namespace: 'default' }, { namespaced: true, nameRule: 'pathSegment' }))).toEqual([
      'metadata.generateName',
    ]);
  });

  it('rejects an invalid name by the kind\'s rule', () => {
    const errs = validateObjectMeta({ name: 'Bad_Name', namespace: 'default' }, namespaced);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ type: 'FieldValueInvalid', field: 'metadata.name', badValue: 'Bad_Name' });
    expect(messages(errs)[0]).toMatch(/^metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/);
    expect(validateObjectMeta({ name: 'a.b', namespace: 'default' }, { namespaced: true, nameRule: 'dns1123Label' })).toHaveLength(1);
    expect(validateObjectMeta({ name: '1abc', namespace: 'default' }, { namespaced: true, nameRule: 'dns1035Label' })).toHaveLength(1);
    expect(validateObjectMeta({ name: 'system:admin' }, { namespaced: false, nameRule: 'pathSegment' })).toEqual([]);
    expect(validateObjectMeta({ name: 'a'.repeat(254) }, clusterScoped)).toHaveLength(1);
  });

  it('validates name and generateName independently when both are set', () => {
    expect(fields(validateObjectMeta({ name: 'ok', generateName: 'BAD-', namespace: 'default' }, namespaced))).toEqual(['metadata.generateName']);
    expect(fields(validateObjectMeta({ name: 'BAD', generateName: 'ok-', namespace: 'default' }, namespaced))).toEqual(['metadata.name']);
  });

  it('uses the given path for nested metadata', () => {
    expect(fields(validateObjectMeta({}, clusterScoped, 'spec.template.metadata'))).toEqual(['spec.template.metadata.name']);
  });
});

describe('validateObjectMeta: namespace', () => {
  it('requires a namespace on namespaced kinds', () => {
    const errs = validateObjectMeta({ name: 'web' }, namespaced);
    expect(errs).toEqual([{ type: 'FieldValueRequired', field: 'metadata.namespace' }]);
    expect(messages(errs)).toEqual(['metadata.namespace: Required value']);
  });

  it('requires the namespace to be a DNS-1123 label', () => {
    const errs = validateObjectMeta({ name: 'web', namespace: 'Team.A' }, namespaced);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ type: 'FieldValueInvalid', field: 'metadata.namespace', badValue: 'Team.A' });
    expect(fields(validateObjectMeta({ name: 'web', namespace: 'a.b' }, namespaced))).toEqual(['metadata.namespace']);
  });

  it('forbids a namespace on cluster-scoped kinds', () => {
    const errs = validateObjectMeta({ name: 'node-1', namespace: 'default' }, clusterScoped);
    expect(messages(errs)).toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
  });
});

describe('validateObjectMeta: labels and annotations', () => {
  it('reports label key and value errors at metadata.labels with the bad key or value', () => {
    const errs = validateObjectMeta({ name: 'web', namespace: 'default', labels: { 'bad key': 'ok', good: '-bad' } }, namespaced);
    expect(errs.map((e) => [e.type, e.field, e.badValue])).toEqual([
      ['FieldValueInvalid', 'metadata.labels', 'bad key'],
      ['FieldValueInvalid', 'metadata.labels', '-bad'],
    ]);
    expect(messages(errs)[1]).toMatch(/^metadata\.labels: Invalid value: "-bad": a valid label must be an empty string or consist of/);
  });

  it('accepts valid labels, including empty values and prefixed keys', () => {
    expect(validateLabels({ 'app.kubernetes.io/name': 'web', tier: '', 'example.com/Version': 'v1.2_3' }, 'metadata.labels')).toEqual([]);
    expect(validateLabels(undefined, 'metadata.labels')).toEqual([]);
  });

  it('rejects label values over 63 characters', () => {
    expect(messages(validateLabels({ a: 'v'.repeat(64) }, 'metadata.labels'))).toEqual([
      `metadata.labels: Invalid value: "${'v'.repeat(64)}": must be no more than 63 characters`,
    ]);
  });

  it('checks annotation keys case-insensitively and leaves values free', () => {
    expect(validateAnnotations({ 'Example.COM/Some-Key': 'any value at all: \n {"json": true}' }, 'metadata.annotations')).toEqual([]);
    const errs = validateObjectMeta({ name: 'web', namespace: 'default', annotations: { 'bad key': 'x' } }, namespaced);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ type: 'FieldValueInvalid', field: 'metadata.annotations', badValue: 'bad key' });
  });

  it('limits the total size of annotations to 256 KiB of keys and values', () => {
    expect(totalAnnotationSizeLimit).toBe(262144);
    const atLimit = { a: 'x'.repeat(totalAnnotationSizeLimit - 1) };
    expect(validateAnnotations(atLimit, 'metadata.annotations')).toEqual([]);
    const overLimit = { a: 'x'.repeat(totalAnnotationSizeLimit / 2), b: 'x'.repeat(totalAnnotationSizeLimit / 2) };
    const errs = validateObjectMeta({ name: 'web', namespace: 'default', annotations: overLimit }, namespaced);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ type: 'FieldValueTooLong', field: 'metadata.annotations' });
    expect(messages(errs)[0]).toMatch(/^metadata\.annotations: Too long: .*262144 bytes$/);
  });

  it('measures annotation size in UTF-8 bytes, not characters', () => {
    const threeBytes = '大';
    const chars = Math.floor(totalAnnotationSizeLimit / 3); // about a third of the limit in characters
    expect(validateAnnotations({ a: threeBytes.repeat(chars) }, 'metadata.annotations')).toEqual([]);
    expect(validateAnnotations({ a: threeBytes.repeat(chars + 1) }, 'metadata.annotations')).toHaveLength(1);
  });
});

describe('validateObjectMeta: owner references', () => {
  it('accepts complete references with at most one controller', () => {
    const meta: ObjectMeta = { name: 'web-1', namespace: 'default', ownerReferences: [ownerRef('a', true), ownerRef('b', false), ownerRef('c')] };
    expect(validateObjectMeta(meta, namespaced)).toEqual([]);
  });

  it('requires apiVersion, kind, name and uid of each reference', () => {
    const meta = {
      name: 'web-1',
      namespace: 'default',
      ownerReferences: [ownerRef('a'), { apiVersion: '', kind: '', name: '', uid: '' }],
    };
    expect(messages(validateObjectMeta(meta, namespaced))).toEqual([
      'metadata.ownerReferences[1].apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences[1].kind: Invalid value: "": kind must not be empty',
      'metadata.ownerReferences[1].name: Invalid value: "": name must not be empty',
      'metadata.ownerReferences[1].uid: Invalid value: "": uid must not be empty',
    ]);
  });

  it('allows only one controller reference', () => {
    const meta = { name: 'web-1', namespace: 'default', ownerReferences: [ownerRef('a', true), ownerRef('b', true)] };
    const errs = validateObjectMeta(meta, namespaced);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ type: 'FieldValueInvalid', field: 'metadata.ownerReferences' });
    expect(errs[0]!.detail).toContain('Only one reference can have Controller set to true');
  });
});

describe('validateObjectMeta: finalizers', () => {
  it('accepts qualified finalizer names', () => {
    expect(validateObjectMeta({ name: 'a', namespace: 'default', finalizers: ['kubernetes', 'example.com/cleanup', 'foregroundDeletion'] }, namespaced)).toEqual([]);
  });

  it('accepts duplicates, as Kubernetes does', () => {
    const errs = validateObjectMeta({ name: 'a', namespace: 'default', finalizers: ['example.com/x', 'example.com/y', 'example.com/x'] }, namespaced);
    expect(messages(errs)).toEqual([]);
  });

  it('rejects names that are not qualified names', () => {
    const errs = validateObjectMeta({ name: 'a', namespace: 'default', finalizers: ['a/b/c'] }, namespaced);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ type: 'FieldValueInvalid', badValue: 'a/b/c' });
    expect(errs[0]!.field).toMatch(/^metadata\.finalizers/);
  });

  it('rejects orphan together with foregroundDeletion', () => {
    const errs = validateObjectMeta({ name: 'a', namespace: 'default', finalizers: ['orphan', 'foregroundDeletion'] }, namespaced);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ type: 'FieldValueInvalid', field: 'metadata.finalizers', detail: 'finalizer orphan and foregroundDeletion cannot be both set' });
  });
});

describe('validateObjectMeta: everything at once', () => {
  it('reports every problem, in field order', () => {
    const meta = {
      namespace: 'Bad',
      labels: { '-x': 'y' },
      annotations: { '': 'z' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: '' }],
      finalizers: ['f', 'a/b/c'],
    };
    expect(fields(validateObjectMeta(meta, namespaced))).toEqual([
      'metadata.name',
      'metadata.namespace',
      'metadata.labels',
      'metadata.annotations',
      'metadata.ownerReferences[0].uid',
      'metadata.finalizers[1]',
    ]);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old: ObjectMeta = {
    name: 'web',
    namespace: 'default',
    uid: 'u-1',
    creationTimestamp: '2024-01-01T00:00:00Z',
    resourceVersion: '5',
    labels: { a: '1' },
    finalizers: ['example.com/x'],
  };

  it('accepts an unchanged object and changes to mutable fields', () => {
    expect(validateObjectMetaUpdate({ ...old }, old)).toEqual([]);
    expect(
      validateObjectMetaUpdate({ ...old, labels: { b: '2' }, annotations: { c: '3' }, finalizers: ['example.com/y'], resourceVersion: '6', generation: 2 }, old),
    ).toEqual([]);
  });

  it.each(['name', 'namespace', 'uid', 'creationTimestamp'] as const)('rejects a change of %s as immutable', (field) => {
    const errs = validateObjectMetaUpdate({ ...old, [field]: 'changed' }, old);
    expect(errs).toEqual([{ type: 'FieldValueInvalid', field: `metadata.${field}`, badValue: 'changed', detail: 'field is immutable' }]);
    expect(messages(errs)).toEqual([`metadata.${field}: Invalid value: "changed": field is immutable`]);
  });

  it('treats clearing an immutable field as a change', () => {
    const { uid: _uid, ...withoutUid } = old;
    expect(fields(validateObjectMetaUpdate(withoutUid, old))).toEqual(['metadata.uid']);
  });

  describe('once the object is being deleted', () => {
    const deleting: ObjectMeta = { ...old, deletionTimestamp: '2024-01-02T00:00:00Z', finalizers: ['example.com/x', 'example.com/y'] };

    it('forbids adding finalizers', () => {
      const errs = validateObjectMetaUpdate({ ...deleting, finalizers: ['example.com/x', 'example.com/y', 'example.com/z'] }, deleting);
      expect(errs).toHaveLength(1);
      expect(errs[0]).toMatchObject({ type: 'FieldValueForbidden', field: 'metadata.finalizers' });
      expect(errs[0]!.detail).toMatch(/^no new finalizers can be added if the object is being deleted, found new finalizers .*example\.com\/z/);
      expect(errs[0]!.detail).not.toContain('example.com/x');
    });

    it('allows removing and keeping finalizers', () => {
      expect(validateObjectMetaUpdate({ ...deleting }, deleting)).toEqual([]);
      expect(validateObjectMetaUpdate({ ...deleting, finalizers: ['example.com/y'] }, deleting)).toEqual([]);
      expect(validateObjectMetaUpdate({ ...deleting, finalizers: [] }, deleting)).toEqual([]);
    });

    it('allows adding finalizers before deletion', () => {
      expect(validateObjectMetaUpdate({ ...old, finalizers: ['example.com/x', 'example.com/new'] }, old)).toEqual([]);
    });
  });
});
