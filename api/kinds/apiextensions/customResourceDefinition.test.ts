import { decodeObject, defaultObject, validateObject } from '../decode';
import { admit, causesOf, manifestFile } from '../testing';
import { customResourceDefinitionKind as crdKind } from './customResourceDefinition';

/** A minimal valid CRD of widgets.example.com, with `edit` applied. */
function crd(edit: (c: ReturnType<typeof base>) => void = () => {}) {
  const c = base();
  edit(c);
  return c;
}

interface LooseCRD {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  spec: { group: string; scope: string; names: Record<string, unknown>; versions: Record<string, unknown>[]; conversion?: unknown; preserveUnknownFields?: boolean };
}

function base(): LooseCRD {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' } as Record<string, unknown>,
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget' } as Record<string, unknown>,
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', properties: { size: { type: 'integer' }, color: { type: 'string' } } },
                status: { type: 'object', properties: { ready: { type: 'boolean' } } },
              } as Record<string, unknown>,
            } as Record<string, unknown>,
          },
        },
      ],
    },
  };
}

describe('CustomResourceDefinition', () => {
  it('admits the website shirt example and applies the defaults', () => {
    const docs = manifestFile('customresourcedefinition/shirt-resource-definition.yaml');
    expect(docs).toHaveLength(1);
    const object = admit(crdKind, docs[0]);
    expect(object.spec.names).toEqual({ plural: 'shirts', singular: 'shirt', kind: 'Shirt', listKind: 'ShirtList' });
    expect(object.spec.conversion).toEqual({ strategy: 'None' });
    expect(object.status?.storedVersions).toEqual(['v1']);
  });
});

type Schema = Record<string, unknown>;
const v0 = 'spec.versions[0]';
const root = `${v0}.schema.openAPIV3Schema`;
const schemaOf = (c: ReturnType<typeof base>) => (c.spec.versions as { schema: { openAPIV3Schema: Schema } }[])[0]!.schema.openAPIV3Schema;
const propsOf = (c: ReturnType<typeof base>) => schemaOf(c).properties as Record<string, Schema>;

describe('CustomResourceDefinition names and versions', () => {
  it('requires metadata.name to be <plural>.<group>', () => {
    expect(causesOf(() => admit(crdKind, crd((c) => (c.metadata.name = 'widget.example.com'))))).toEqual([
      'metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group',
    ]);
  });

  it('requires a group with a dot and valid resource names', () => {
    const bad = crd((c) => {
      c.metadata.name = 'Widgets.example';
      c.spec.group = 'example';
      c.spec.names = { plural: 'Widgets', kind: 'Wid_get', shortNames: ['w', 'W!'], categories: ['all'] };
    });
    expect(causesOf(() => admit(crdKind, bad))).toEqual([
      expect.stringMatching(/^metadata\.name: Invalid value: "Widgets\.example": a lowercase RFC 1123 subdomain/),
      'spec.group: Invalid value: "example": should be a domain with at least one dot',
      expect.stringMatching(/^spec\.names\.plural: Invalid value: "Widgets": a DNS-1035 label/),
      expect.stringMatching(/^spec\.names\.singular: Invalid value: "wid_get": a DNS-1035 label/),
      expect.stringMatching(/^spec\.names\.kind: Invalid value: "Wid_get": may have mixed case, but should otherwise match: a DNS-1035 label/),
      expect.stringMatching(/^spec\.names\.listKind: Invalid value: "Wid_getList": may have mixed case/),
      expect.stringMatching(/^spec\.names\.shortNames\[1\]: Invalid value: "W!": a DNS-1035 label/),
    ]);
  });

  it('needs exactly one storage version, unique DNS-1035 version names, and a schema for each', () => {
    const v = (name: string, storage: boolean) => ({ name, served: true, storage, schema: { openAPIV3Schema: { type: 'object' } } });
    const twoStorage = crd((c) => (c.spec.versions = [v('v1', true), v('v2', true)]));
    expect(causesOf(() => admit(crdKind, twoStorage))).toEqual([
      expect.stringMatching(/^spec\.versions: Invalid value: .*: must have exactly one version marked as storage version$/),
      'status.storedVersions: Invalid value: ["v1"]: must have the storage version v2',
    ]);
    const dup = crd((c) => (c.spec.versions = [v('v1', true), v('v1', false), { name: '1beta', served: false, storage: false }]));
    expect(causesOf(() => admit(crdKind, dup))).toEqual([
      `spec.versions[2].schema.openAPIV3Schema: Required value: schemas are required`,
      expect.stringMatching(/^spec\.versions\[2\]\.name: Invalid value: "1beta": a DNS-1035 label/),
      expect.stringMatching(/^spec\.versions: Invalid value: .*: must contain unique version names$/),
    ]);
    expect(causesOf(() => admit(crdKind, crd((c) => (c.spec.versions = []))))).toEqual([
      'spec.versions: Invalid value: []: must have exactly one version marked as storage version',
      'status.storedVersions: Invalid value: []: must have at least one stored version',
    ]);
  });

  it('checks types of the request as decode errors (400) and unknown fields anywhere in the schema', () => {
    expect(() => admit(crdKind, crd((c) => ((c.spec.versions[0] as Schema).served = 'yes')))).toThrow(
      expect.objectContaining({ code: 400, message: expect.stringContaining('spec.versions[0].served: expected boolean, got string') }),
    );
    expect(() => admit(crdKind, crd((c) => (propsOf(c).spec!.typ = 'object')))).toThrow(
      `strict decoding error: unknown field "${root}.properties[spec].typ"`,
    );
    expect(() => admit(crdKind, crd((c) => (c.spec.scope = 'Global')))).toThrow(expect.objectContaining({ code: 422, message: expect.stringContaining('spec.scope: Unsupported value: "Global"') }));
  });

  it('keeps group and plural immutable, and scope and kind once established', () => {
    const old = admit(crdKind, crd());
    const moved = structuredClone(old);
    moved.spec.scope = 'Cluster';
    expect(() => validateObject(crdKind, moved, old)).not.toThrow();
    old.status = { ...old.status, conditions: [{ type: 'Established', status: 'True' }] };
    expect(causesOf(() => validateObject(crdKind, moved, old))).toEqual(['spec.scope: Invalid value: "Cluster": field is immutable']);
    const regrouped = structuredClone(old);
    regrouped.spec.group = 'example.org';
    expect(causesOf(() => validateObject(crdKind, regrouped, old))).toEqual(['spec.group: Invalid value: "example.org": field is immutable']);
  });

  it('records the storage version and keeps stored versions in spec.versions', () => {
    const old = admit(crdKind, crd());
    const next = structuredClone(old);
    next.spec.versions = [{ ...next.spec.versions[0]!, name: 'v2' }];
    defaultObject(crdKind, next);
    expect(next.status?.storedVersions).toEqual(['v1', 'v2']);
    expect(causesOf(() => validateObject(crdKind, next, old))).toEqual(['status.storedVersions[0]: Invalid value: "v1": must appear in spec.versions']);
  });

  it('requires API approval for Kubernetes-owned groups', () => {
    const k8s = crd((c) => {
      c.metadata.name = 'widgets.policy.k8s.io';
      c.spec.group = 'policy.k8s.io';
    });
    expect(causesOf(() => admit(crdKind, structuredClone(k8s)))).toEqual([
      'metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111',
    ]);
    k8s.metadata.annotations = { 'api-approved.kubernetes.io': 'https://github.com/kubernetes/kubernetes/pull/78458' };
    expect(() => admit(crdKind, structuredClone(k8s))).not.toThrow();
    k8s.metadata.annotations = { 'api-approved.kubernetes.io': 'unapproved, experimental' };
    expect(() => admit(crdKind, structuredClone(k8s))).not.toThrow();
  });

  it('forbids preserveUnknownFields: true', () => {
    expect(causesOf(() => admit(crdKind, crd((c) => (c.spec.preserveUnknownFields = true))))).toEqual([
      'spec.preserveUnknownFields: Invalid value: true: cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
    ]);
  });
});

describe('CustomResourceDefinition schemas', () => {
  it('accepts a realistic schema: int-or-string, embedded resources, list maps, CEL rules, maps, defaults', () => {
    const ok = crd((c) => {
      Object.assign(schemaOf(c), { description: 'Widget is the Schema for the widgets API', required: ['spec'] });
      const props = propsOf(c);
      props.spec = {
        type: 'object',
        description: 'WidgetSpec',
        required: ['size'],
        'x-kubernetes-validations': [{ rule: 'self.minReplicas <= self.maxReplicas', message: 'min must not exceed max', reason: 'FieldValueInvalid', fieldPath: '.minReplicas' }],
        properties: {
          size: { type: 'integer', format: 'int32', minimum: 1, default: 3 },
          minReplicas: { type: 'integer' },
          maxReplicas: { type: 'integer' },
          port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
          memory: { anyOf: [{ type: 'integer' }, { type: 'string' }], pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))$', 'x-kubernetes-int-or-string': true },
          labels: { type: 'object', additionalProperties: { type: 'string' }, 'x-kubernetes-map-type': 'atomic' },
          template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
          config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          mode: { type: 'string', enum: ['Fast', 'Slow', null], nullable: true },
          ports: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
            items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, number: { type: 'integer' } } },
          },
          tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
          oneThing: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, oneOf: [{ required: ['a'] }, { required: ['b'] }] },
        },
      };
      props.metadata = { type: 'object', properties: { name: { type: 'string', maxLength: 20 } } };
      props.apiVersion = { type: 'string' };
      props.kind = { type: 'string' };
      (c.spec.versions[0] as Schema).subresources = { status: {}, scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } };
      (c.spec.versions[0] as Schema).additionalPrinterColumns = [
        { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
        { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status', priority: 1 },
        { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      ];
      (c.spec.versions[0] as Schema).selectableFields = [{ jsonPath: '.spec.mode' }, { jsonPath: ".spec['size']" }];
    });
    const object = admit(crdKind, ok);
    expect(object.spec.versions[0]!.schema?.openAPIV3Schema?.properties?.spec?.properties?.mode?.enum).toEqual(['Fast', 'Slow', null]);
  });

  it('requires a type everywhere unless preserving unknown fields or int-or-string', () => {
    const untyped = crd((c) => {
      propsOf(c).spec = { properties: { size: { type: 'integer' } } };
      propsOf(c).list = { type: 'array', items: { description: 'no type' } };
      propsOf(c).raw = { type: 'array' };
    });
    expect(causesOf(() => admit(crdKind, untyped))).toEqual([
      `${root}.properties[list].items.type: Required value: must not be empty for specified array items`,
      `${root}.properties[raw].items: Required value: must be specified`,
      `${root}.properties[spec].type: Required value: must not be empty for specified object fields`,
    ]);
    expect(causesOf(() => admit(crdKind, crd((c) => (schemaOf(c).type = 'string'))))).toEqual([`${root}.type: Invalid value: "string": must be object at the root`]);
  });

  it('keeps logical junctors to value validation, complete, and metadata to name restrictions', () => {
    const bad = crd((c) => {
      propsOf(c).spec = { type: 'object', anyOf: [{ type: 'object', properties: { extra: { minLength: 1 } } }] };
      propsOf(c).metadata = { type: 'object', properties: { labels: { type: 'object' } } };
    });
    expect(causesOf(() => admit(crdKind, bad))).toEqual([
      `${root}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
      `${root}.properties[spec].anyOf[0].type: Forbidden: must be empty to be structural`,
      `${root}.properties[spec].properties[extra]: Required value: because it is defined in ${root}.properties[spec].anyOf[0].properties[extra]`,
    ]);
  });

  it('rejects what CRD schemas do not support', () => {
    const bad = crd((c) => {
      propsOf(c).spec = {
        type: 'object',
        properties: { a: { type: 'string' } },
        additionalProperties: { type: 'string' },
      };
      propsOf(c).refd = { $ref: '#/definitions/x', type: 'object' };
      propsOf(c).uniq = { type: 'array', uniqueItems: true, items: [{ type: 'string' }] };
      propsOf(c).nul = { type: 'null' };
      propsOf(c).keep = { type: 'object', 'x-kubernetes-preserve-unknown-fields': false };
    });
    expect(causesOf(() => admit(crdKind, bad))).toEqual([
      `${root}.properties[spec].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
      `${root}.properties[refd].$ref: Forbidden: $ref is not supported`,
      `${root}.properties[uniq].items: Forbidden: items must be a schema object and not an array`,
      `${root}.properties[uniq].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
      `${root}.properties[nul].type: Unsupported value: "null": supported values: "array", "boolean", "integer", "number", "object", "string"`,
      `${root}.properties[nul].type: Forbidden: type cannot be set to null, use nullable as an alternative`,
      `${root}.properties[keep].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined`,
    ]);
  });

  it('checks list and map extensions and validation rules', () => {
    const bad = crd((c) => {
      propsOf(c).ports = { type: 'array', 'x-kubernetes-list-type': 'map', items: { type: 'object', properties: { name: { type: 'string' } } } };
      propsOf(c).keys = {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'object', properties: { name: { type: 'string' } } },
      };
      propsOf(c).m = { type: 'string', 'x-kubernetes-map-type': 'atomic' };
      propsOf(c).v = { type: 'object', 'x-kubernetes-validations': [{ rule: 'self.a > 0', message: 'line\nbreak' }, { rule: 'true', reason: 'FieldValueTooLong' }] };
    });
    expect(causesOf(() => admit(crdKind, bad))).toEqual([
      `${root}.properties[ports].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`,
      `${root}.properties[keys].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`,
      `${root}.properties[m].type: Invalid value: "string": must be object if x-kubernetes-map-type is specified`,
      `${root}.properties[v].x-kubernetes-validations[0].message: Invalid value: "line\\nbreak": message must not contain line breaks`,
      `${root}.properties[v].x-kubernetes-validations[1].reason: Unsupported value: "FieldValueTooLong": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"`,
    ]);
  });

  it('refuses CEL rules and message expressions that do not compile', () => {
    const bad = crd((c) => {
      propsOf(c).v = { type: 'object', 'x-kubernetes-validations': [{ rule: 'self.a >' }, { rule: 'self.a > 0', messageExpression: "'a is ' +" }, { rule: 'self.a > 0' }] };
    });
    const causes = causesOf(() => admit(crdKind, bad));
    expect(causes).toHaveLength(2);
    expect(causes[0]).toMatch(new RegExp(`^${root.replace(/[.[\]]/g, '\\$&')}\\.properties\\[v\\]\\.x-kubernetes-validations\\[0\\]\\.rule: Invalid value: "self\\.a >": compilation failed: .+`));
    expect(causes[1]).toMatch(/x-kubernetes-validations\[1\]\.messageExpression: Invalid value: "'a is ' \+": compilation failed: .+/);
  });

  it('checks the schemas inside items and additionalProperties too', () => {
    const bad = crd((c) => {
      propsOf(c).list = { type: 'array', items: { type: 'object', properties: { x: { description: 'untyped' } } } };
      propsOf(c).map = { type: 'object', additionalProperties: { type: 'string', minLength: 'one' } };
    });
    expect(causesOf(() => admit(crdKind, bad))).toEqual([`${root}.properties[map].additionalProperties.minLength: Invalid value: "one": expected integer, got string`]);
    const untyped = crd((c) => (propsOf(c).list = { type: 'array', items: { type: 'object', properties: { x: { description: 'untyped', bogus: 1 } } } }));
    const { object } = decodeObject(crdKind, untyped);
    defaultObject(crdKind, object);
    expect(object.spec.versions[0]!.schema?.openAPIV3Schema?.properties?.list?.items).toEqual({ type: 'object', properties: { x: { description: 'untyped' } } });
    expect(causesOf(() => validateObject(crdKind, object))).toEqual([`${root}.properties[list].items.properties[x].type: Required value: must not be empty for specified object fields`]);
  });

  it('limits the root schema when the status subresource is enabled', () => {
    const bad = crd((c) => {
      (c.spec.versions[0] as Schema).subresources = { status: {} };
      schemaOf(c).anyOf = [{ required: ['spec'] }];
    });
    expect(causesOf(() => admit(crdKind, bad))).toEqual([
      expect.stringMatching(new RegExp(`^${root.replace(/[.[\]]/g, '\\$&')}: Invalid value: .*: only \\[Description Type .* XValidations\\] fields are allowed at the root of the schema if the status subresource is enabled$`)),
    ]);
  });
});

describe('CustomResourceDefinition printer columns, selectable fields, subresources, conversion', () => {
  it('checks printer column types, formats and paths', () => {
    const bad = crd((c) => {
      (c.spec.versions[0] as Schema).additionalPrinterColumns = [
        { name: 'A', type: 'object', jsonPath: '.spec' },
        { name: 'B', type: 'string', format: 'color', jsonPath: 'spec.color' },
      ];
    });
    expect(causesOf(() => admit(crdKind, bad))).toEqual([
      `${v0}.additionalPrinterColumns[0].type: Invalid value: "object": must be one of boolean,date,integer,number,string`,
      `${v0}.additionalPrinterColumns[1].format: Invalid value: "color": must be one of byte,date,date-time,double,float,int32,int64,password`,
      `${v0}.additionalPrinterColumns[1].JSONPath: Invalid value: "spec.color": must be a simple json path starting with .`,
    ]);
  });

  it('checks selectable fields against the schema', () => {
    const bad = crd((c) => {
      (c.spec.versions[0] as Schema).selectableFields = [
        { jsonPath: '.spec.colour' },
        { jsonPath: '.metadata.name' },
        { jsonPath: '.spec' },
        { jsonPath: '.spec.color' },
        { jsonPath: ".spec['color']" },
      ];
      propsOf(c).metadata = { type: 'object' };
    });
    expect(causesOf(() => admit(crdKind, bad))).toEqual([
      `${v0}.selectableFields[0].jsonPath: Invalid value: ".spec.colour": is an invalid path: does not refer to a valid field`,
      `${v0}.selectableFields[1].jsonPath: Invalid value: ".metadata.name": is an invalid path: does not refer to a valid field`,
      `${v0}.selectableFields[2].jsonPath: Invalid value: ".spec": must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.`,
      `${v0}.selectableFields[4].jsonPath: Duplicate value: ".spec['color']"`,
    ]);
    const many = crd((c) => {
      const props: Record<string, Schema> = {};
      for (let i = 0; i < 9; i++) props[`f${i}`] = { type: 'string' };
      propsOf(c).spec = { type: 'object', properties: props };
      (c.spec.versions[0] as Schema).selectableFields = Object.keys(props).map((k) => ({ jsonPath: `.spec.${k}` }));
    });
    expect(causesOf(() => admit(crdKind, many))).toEqual([`${v0}.selectableFields: Too many: 9: must have at most 8 items`]);
  });

  it('checks scale subresource paths', () => {
    const bad = crd((c) => ((c.spec.versions[0] as Schema).subresources = { scale: { specReplicasPath: '.status.replicas', statusReplicasPath: 'status.replicas' } }));
    expect(causesOf(() => admit(crdKind, bad))).toEqual([
      `${v0}.subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec`,
      `${v0}.subresources.scale.statusReplicasPath: Invalid value: "status.replicas": must be a simple json path starting with .`,
    ]);
  });

  it('accepts webhook conversion to a service, defaulting its port, and checks webhook settings', () => {
    const webhook = crd((c) => {
      c.spec.conversion = { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'], clientConfig: { service: { namespace: 'system', name: 'webhook', path: '/convert' } } } };
    });
    const object = admit(crdKind, webhook);
    expect(object.spec.conversion?.webhook?.clientConfig?.service?.port).toBe(443);
    const bad = crd((c) => {
      c.spec.conversion = { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v2'], clientConfig: { url: 'http://example.com/convert?x=1' } } };
    });
    expect(causesOf(() => admit(crdKind, bad))).toEqual([
      `spec.conversion.webhookClientConfig.url: Invalid value: "http": 'https' is the only allowed URL scheme; desired format: https://host[/path]`,
      'spec.conversion.webhookClientConfig.url: Invalid value: "x=1": query parameters are not permitted in the URL',
      'spec.conversion.conversionReviewVersions: Invalid value: ["v2"]: must include at least one of v1, v1beta1',
    ]);
    expect(causesOf(() => admit(crdKind, crd((c) => (c.spec.conversion = { strategy: 'Webhook' }))))).toEqual([
      'spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook',
      'spec.conversion.conversionReviewVersions: Required value',
    ]);
  });

  it('only allows deprecationWarning on deprecated versions', () => {
    expect(causesOf(() => admit(crdKind, crd((c) => ((c.spec.versions[0] as Schema).deprecationWarning = 'old'))))).toEqual([
      `${v0}.deprecationWarning: Invalid value: "old": can only be set for deprecated versions`,
    ]);
  });
});
