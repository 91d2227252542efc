import type { CustomResourceDefinition } from '../../api/kinds/apiextensions/customResourceDefinition';
import { errorMessage } from '../../api/field/errors';
import { isStatusError } from '../../api/status';
import { customResourceKind, customResourceStrategy } from './customResourceKind';

const crd: CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', shortNames: ['wd'], categories: ['all'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        selectableFields: [{ jsonPath: '.spec.color' }, { jsonPath: '.spec.replicas' }, { jsonPath: '.spec.enabled' }],
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { color: { type: 'string', enum: ['red'] }, replicas: { type: 'integer' }, enabled: { type: 'boolean' } } },
              status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};
const version = crd.spec.versions[0]!;

describe('customResourceKind', () => {
  const kind = customResourceKind(crd, version, crd.spec.names);

  it('takes names, scope and subresources from the CRD', () => {
    expect(kind).toEqual(
      expect.objectContaining({
        group: 'example.com',
        version: 'v1',
        kind: 'Widget',
        listKind: 'WidgetList',
        plural: 'widgets',
        singular: 'widget',
        shortNames: ['wd'],
        categories: ['all'],
        namespaced: true,
        unstructured: true,
        nameRule: 'dns1123Subdomain',
        subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
      }),
    );
    const cluster = customResourceKind({ ...crd, spec: { ...crd.spec, scope: 'Cluster' } }, { name: 'v2', served: true, storage: false }, { plural: 'widgets', kind: 'Widget' });
    expect(cluster).toEqual(expect.objectContaining({ namespaced: false, listKind: 'WidgetList', singular: 'widget', subresources: {}, shortNames: [] }));
  });

  it('reads selectable fields as strings', () => {
    const fields = kind.selectableFields!;
    expect(Object.keys(fields)).toEqual(['spec.color', 'spec.replicas', 'spec.enabled']);
    const obj = { metadata: { name: 'a' }, spec: { color: 'red', replicas: 3, enabled: false } };
    expect([fields['spec.color']!(obj), fields['spec.replicas']!(obj), fields['spec.enabled']!(obj)]).toEqual(['red', '3', 'false']);
    expect(fields['spec.color']!({ metadata: { name: 'b' } })).toBe('');
  });

  it('validates values against the schema and the scale paths', () => {
    const messages = (obj: Record<string, unknown>) => kind.validate!({ metadata: { name: 'a', namespace: 'd' }, ...obj }).map(errorMessage);
    expect(messages({ spec: { color: 'red', replicas: 1 }, status: { replicas: 0, selector: 'a=b' } })).toEqual([]);
    expect(messages({ spec: { color: 'blue', replicas: -1 } })).toEqual([
      'spec.color: Unsupported value: "blue": supported values: "red"',
      '.spec.replicas: Invalid value: -1: should be a non-negative integer',
    ]);
    expect(messages({ status: { replicas: 'x', selector: 5 } })).toEqual([
      'status.replicas: Invalid value: "string": status.replicas in body must be of type integer: "string"',
      'status.selector: Invalid value: "integer": status.selector in body must be of type string: "integer"',
      '.status.replicas: Invalid value: 0: .status.replicas accessor error: x is of the type string, expected int64',
      '.status.selector: Invalid value: "": .status.selector accessor error: 5 is of the type int64, expected string',
    ]);
  });
});

describe('customResourceStrategy', () => {
  const kind = customResourceKind(crd, version, crd.spec.names);

  it('resets status on create, returns deleted objects, and refuses creates while terminating', () => {
    const state = { terminating: false };
    const strategy = customResourceStrategy(kind, state);
    expect(strategy.resetStatusOnCreate).toBe(true);
    expect(strategy.returnDeletedObject).toBe(true);
    expect(() => strategy.prepareForCreate!({})).not.toThrow();
    state.terminating = true;
    let thrown: unknown;
    try {
      strategy.prepareForCreate!({});
    } catch (err) {
      thrown = err;
    }
    expect(isStatusError(thrown, 405)).toBe(true);
    expect((thrown as Error).message).toBe('create not allowed while custom resource definition is terminating');
  });

  it('does not reset status without a status subresource', () => {
    const plain = customResourceKind(crd, { name: 'v1', served: true, storage: true }, crd.spec.names);
    expect(customResourceStrategy(plain, { terminating: false }).resetStatusOnCreate).toBe(false);
  });
});
