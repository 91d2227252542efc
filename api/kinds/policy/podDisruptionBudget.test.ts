import { decodeObject } from '../decode';
import { admit, causesOf } from '../testing';
import { podDisruptionBudgetKind } from './podDisruptionBudget';

function pdb(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'zk-pdb', namespace: 'default' }, spec };
}

describe('PodDisruptionBudget', () => {
  it('is served as poddisruptionbudgets.policy (pdb)', () => {
    expect(podDisruptionBudgetKind).toMatchObject({ group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', singular: 'poddisruptionbudget', shortNames: ['pdb'], subresources: { status: true } });
  });

  it('accepts the documented examples', () => {
    expect(() => admit(podDisruptionBudgetKind, pdb({ minAvailable: 2, selector: { matchLabels: { app: 'zookeeper' } } }))).not.toThrow();
    expect(() => admit(podDisruptionBudgetKind, pdb({ maxUnavailable: '30%', selector: {}, unhealthyPodEvictionPolicy: 'AlwaysAllow' }))).not.toThrow();
  });

  it('rejects both bounds, negative numbers and percentages over 100%', () => {
    expect(causesOf(() => admit(podDisruptionBudgetKind, pdb({ minAvailable: -1, maxUnavailable: '120%' })))).toEqual([
      'spec: Invalid value: {"minAvailable":-1,"maxUnavailable":"120%"}: minAvailable and maxUnavailable cannot be both set',
      'spec.minAvailable: Invalid value: -1: must be greater than or equal to 0',
      'spec.maxUnavailable: Invalid value: "120%": must not be greater than 100%',
    ]);
  });

  it('checks the eviction policy and the selector', () => {
    expect(causesOf(() => admit(podDisruptionBudgetKind, pdb({ unhealthyPodEvictionPolicy: 'Never' })))).toEqual([
      'spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"',
    ]);
    const causes = causesOf(() => admit(podDisruptionBudgetKind, pdb({ selector: { matchExpressions: [{ key: 'app', operator: 'Near' }] } })));
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatch(/^spec\.selector\.matchExpressions\[0\]\.operator: /);
  });

  it('lets the spec change and validates status writes', () => {
    const old = admit(podDisruptionBudgetKind, pdb({ minAvailable: 1 }));
    const next = { ...structuredClone(old), spec: { minAvailable: '50%' }, status: { disruptionsAllowed: -1, currentHealthy: 1, desiredHealthy: 1, expectedPods: 2 } };
    expect(causesOf(() => admit(podDisruptionBudgetKind, next, old))).toEqual(['status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0']);
  });

  it('rejects unknown fields', () => {
    expect(() => decodeObject(podDisruptionBudgetKind, pdb({ minAvaliable: 1 }), 'Strict')).toThrow('unknown field "spec.minAvaliable"');
  });
});
