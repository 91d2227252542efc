import * as s from '../../schema/schema';
import { Affinity, validateAffinity } from './affinity';
import { checkValue, findFields, messages } from '../testing';
import { Toleration, validateTolerations } from './toleration';
import { TopologySpreadConstraint, validateTopologySpreadConstraints } from './topologySpreadConstraint';

const Tolerations = s.array(Toleration);
const Constraints = s.array(TopologySpreadConstraint);

function clean(result: ReturnType<typeof checkValue>) {
  return { unknownFields: result.unknownFields, decodeErrors: result.decodeErrors, fieldErrors: messages(result.fieldErrors) };
}
const noProblems = { unknownFields: [], decodeErrors: [], fieldErrors: [] };

describe('Affinity', () => {
  const affinity = () => ({
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          {
            matchExpressions: [
              { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['antarctica-east1', 'antarctica-west1'] },
              { key: 'example.com/cores', operator: 'Gt', values: ['8'] },
            ],
            matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }],
          },
        ],
      },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'disktype', operator: 'Exists' }] } }],
    },
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchExpressions: [{ key: 'security', operator: 'In', values: ['S1'] }] }, topologyKey: 'topology.kubernetes.io/zone', matchLabelKeys: ['pod-template-hash'] },
      ],
    },
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, namespaceSelector: {}, namespaces: ['default'], topologyKey: 'kubernetes.io/hostname' },
        },
      ],
    },
  });

  it('accepts a full affinity', () => {
    const value = affinity();
    expect(clean(checkValue(Affinity, value, 'spec.affinity'))).toEqual(noProblems);
    expect(validateAffinity(value as Affinity, 'spec.affinity')).toEqual([]);
  });

  it('checks operators, values, weights and topology keys', () => {
    const value = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: 'zone', operator: 'In' },
                { key: 'zone', operator: 'Exists', values: ['a'] },
                { key: 'cores', operator: 'Gt', values: ['1', '2'] },
                { key: 'zone', operator: 'Equals', values: ['a'] },
              ],
              matchFields: [{ key: 'spec.nodeName', operator: 'In', values: ['a'] }],
            },
          ],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }],
      },
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: '', matchLabelKeys: ['app'] }],
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 101, podAffinityTerm: { topologyKey: 'zone' } }],
      },
    };
    expect(clean(checkValue(Affinity, value, 'spec.affinity'))).toEqual(noProblems);
    const at = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]';
    expect(messages(validateAffinity(value as Affinity, 'spec.affinity'))).toEqual([
      `${at}.matchExpressions[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`,
      `${at}.matchExpressions[1].values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
      `${at}.matchExpressions[2].values: Required value: must be specified single value when \`operator\` is 'Lt' or 'Gt'`,
      `${at}.matchExpressions[3].operator: Invalid value: "Equals": not a valid selector operator`,
      `${at}.matchFields[0].key: Invalid value: "spec.nodeName": not a valid field selector key`,
      'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100',
      'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].matchLabelKeys: Forbidden: must not be specified when labelSelector is not set',
      'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty',
      expect.stringMatching(/^spec\.affinity\.podAntiAffinity\.requiredDuringSchedulingIgnoredDuringExecution\[0\]\.topologyKey: Invalid value: "": name part must be non-empty/),
      'spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 101: must be in the range 1-100',
    ]);
  });

  it('requires node selector terms and topology keys in the schema', () => {
    const result = checkValue(Affinity, { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} }, podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{}] } }, 'spec.affinity');
    expect(messages(result.fieldErrors)).toEqual([
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value',
      'spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value',
    ]);
    expect(messages(validateAffinity({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }, 'a'))).toEqual([
      'a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term',
    ]);
  });

  it('reports unknown fields with their path', () => {
    const result = checkValue(Affinity, { nodeAffinity: { requiredDuringSchedulingRequiredDuringExecution: {} } }, 'spec.affinity');
    expect(result.unknownFields).toEqual(['spec.affinity.nodeAffinity.requiredDuringSchedulingRequiredDuringExecution']);
  });

  it('accepts every affinity in the k8s-website manifests', () => {
    const found = findFields('affinity');
    expect(found.length).toBeGreaterThan(0);
    for (const { where, value } of found) {
      expect({ where, ...clean(checkValue(Affinity, value)) }).toEqual({ where, ...noProblems });
      expect({ where, errors: messages(validateAffinity(value as Affinity, 'spec.affinity')) }).toEqual({ where, errors: [] });
    }
  });
});

describe('Toleration', () => {
  it('accepts the usual tolerations, including an empty operator', () => {
    const value = [
      { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
      { key: 'dedicated', value: 'gpu', operator: '', effect: '' },
      { operator: 'Exists' },
    ];
    expect(clean(checkValue(Tolerations, value, 'spec.tolerations'))).toEqual(noProblems);
    expect(validateTolerations(value as Toleration[], 'spec.tolerations')).toEqual([]);
  });

  it('checks keys, operators, values and tolerationSeconds like Kubernetes', () => {
    const value: Toleration[] = [
      { key: 'bad key!', operator: 'Exists' },
      { operator: 'Equal', value: 'x' },
      { key: 'k', operator: 'Exists', value: 'v' },
      { key: 'k', operator: 'Equal', value: 'not a label value', effect: 'NoSchedule', tolerationSeconds: 10 },
    ];
    expect(messages(validateTolerations(value, 'spec.tolerations'))).toEqual([
      expect.stringMatching(/^spec\.tolerations\[0\]\.key: Invalid value: "bad key!": name part must consist of/),
      'spec.tolerations[1].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      'spec.tolerations[2].operator: Invalid value: {"key":"k","operator":"Exists","value":"v"}: value must be empty when `operator` is \'Exists\'',
      "spec.tolerations[3].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
      expect.stringMatching(/^spec\.tolerations\[3\]\.operator: Invalid value: "not a label value": a valid label must be/),
    ]);
  });

  it('answers unsupported operators and effects from the schema', () => {
    const result = checkValue(Tolerations, [{ key: 'k', operator: 'In', effect: 'NoRun' }], 'spec.tolerations');
    expect(messages(result.fieldErrors)).toEqual([
      'spec.tolerations[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute", ""',
      'spec.tolerations[0].operator: Unsupported value: "In": supported values: "Equal", "Exists", ""',
    ]);
  });

  it('accepts every toleration in the k8s-website manifests', () => {
    const found = findFields('tolerations');
    expect(found.length).toBeGreaterThan(0);
    for (const { where, value } of found) {
      expect({ where, ...clean(checkValue(Tolerations, value)) }).toEqual({ where, ...noProblems });
      expect({ where, errors: validateTolerations(value as Toleration[], 'spec.tolerations') }).toEqual({ where, errors: [] });
    }
  });
});

describe('TopologySpreadConstraint', () => {
  it('accepts constraints with every field', () => {
    const value = [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { app: 'web' } },
        minDomains: 3,
        nodeAffinityPolicy: 'Honor',
        nodeTaintsPolicy: 'Ignore',
        matchLabelKeys: ['pod-template-hash'],
      },
      { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
    ];
    expect(clean(checkValue(Constraints, value, 'spec.topologySpreadConstraints'))).toEqual(noProblems);
    expect(validateTopologySpreadConstraints(value as TopologySpreadConstraint[], 'spec.topologySpreadConstraints')).toEqual([]);
  });

  it('checks skew, keys, duplicates, minDomains and matchLabelKeys', () => {
    const value: TopologySpreadConstraint[] = [
      { maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2 },
      { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', matchLabelKeys: ['app'], labelSelector: { matchLabels: { app: 'a' } } },
      { maxSkew: 1, topologyKey: '', whenUnsatisfiable: 'DoNotSchedule', matchLabelKeys: ['app'] },
    ];
    expect(messages(validateTopologySpreadConstraints(value, 'spec.topologySpreadConstraints'))).toEqual([
      'spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero',
      'spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: "{zone, ScheduleAnyway}"',
      'spec.topologySpreadConstraints[0].minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway',
      'spec.topologySpreadConstraints[1].matchLabelKeys[0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector',
      'spec.topologySpreadConstraints[2].topologyKey: Required value: can not be empty',
      'spec.topologySpreadConstraints[2].matchLabelKeys: Forbidden: must not be specified when labelSelector is not set',
    ]);
  });

  it('requires maxSkew, topologyKey and whenUnsatisfiable and knows the enums', () => {
    const result = checkValue(Constraints, [{ whenUnsatisfiable: 'Maybe', nodeTaintsPolicy: 'Respect' }], 'spec.topologySpreadConstraints');
    expect(messages(result.fieldErrors)).toEqual([
      'spec.topologySpreadConstraints[0].maxSkew: Required value',
      'spec.topologySpreadConstraints[0].topologyKey: Required value',
      'spec.topologySpreadConstraints[0].nodeTaintsPolicy: Unsupported value: "Respect": supported values: "Honor", "Ignore"',
      'spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "Maybe": supported values: "DoNotSchedule", "ScheduleAnyway"',
    ]);
  });

  it('accepts every constraint in the k8s-website manifests', () => {
    const found = findFields('topologySpreadConstraints');
    expect(found.length).toBeGreaterThan(0);
    for (const { where, value } of found) {
      expect({ where, ...clean(checkValue(Constraints, value)) }).toEqual({ where, ...noProblems });
      expect({ where, errors: validateTopologySpreadConstraints(value as TopologySpreadConstraint[], 'c') }).toEqual({ where, errors: [] });
    }
  });
});
