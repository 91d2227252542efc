import { makeNode, makePod } from '../testing';
import { compilePreferredTerms, compileTerm, preferredTermsScore, requiredNodeAffinity, requiredNodeAffinityMatches, termMatches } from './nodeAffinity';

const node = makeNode('n1').labels({ zone: 'a', cores: '-2' }).obj();

describe('node selector terms', () => {
  it('reports why a term does not parse, and such a term never matches', () => {
    const cases = [
      [{ key: 'zone', operator: 'In', values: [] }, "for 'in', 'notin' operators, values set can't be empty"],
      [{ key: 'zone', operator: 'Exists', values: ['a'] }, 'values set must be empty for exists and does not exist'],
      [{ key: 'cores', operator: 'Gt', values: ['1', '2'] }, "for 'Gt', 'Lt' operators, exactly one value is required"],
      [{ key: 'cores', operator: 'Lt', values: ['x'] }, "for 'Gt', 'Lt' operators, the value must be an integer"],
      [{ key: 'zone', operator: 'Like', values: ['a'] }, 'Like: not a valid selector operator'],
    ] as const;
    for (const [expr, error] of cases) {
      const term = compileTerm({ matchExpressions: [{ ...expr, values: [...expr.values] }] });
      expect(term.error).toBe(error);
      expect(termMatches(term, node, node.metadata?.labels)).toBe(false);
    }
    expect(compileTerm({ matchFields: [{ key: 'metadata.name', operator: 'Exists' }] }).error).toBe('Exists: not a valid node field selector operator');
  });

  it('Gt/Lt compare integers, negative ones included', () => {
    const lt = compileTerm({ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['0'] }] });
    const gt = compileTerm({ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['-3'] }] });
    expect([termMatches(lt, node, node.metadata?.labels), termMatches(gt, node, node.metadata?.labels)]).toEqual([true, true]);
  });

  it('matchFields compare metadata.name', () => {
    const inTerm = compileTerm({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] });
    const notIn = compileTerm({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] });
    expect([termMatches(inTerm, node, undefined), termMatches(notIn, node, undefined)]).toEqual([true, false]);
  });

  it('required node affinity: nodeSelector AND the ORed terms', () => {
    const pod = makePod('p').nodeSelector({ zone: 'a' }).nodeAffinityIn('cores', ['-2']).obj();
    expect(requiredNodeAffinityMatches(requiredNodeAffinity(pod), node)).toBe(true);
    const other = makePod('q').nodeSelector({ zone: 'b' }).obj();
    expect(requiredNodeAffinityMatches(requiredNodeAffinity(other), node)).toBe(false);
    expect(requiredNodeAffinityMatches(requiredNodeAffinity(makePod('r').obj()), node)).toBe(true);
  });

  it('preferred terms: weight 0 and empty terms dropped, the first parse error returned', () => {
    const terms = compilePreferredTerms([
      { weight: 0, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
      { weight: 3, preference: {} },
      { weight: 5, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
      { weight: 7, preference: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] } },
    ]);
    if (typeof terms === 'string') throw new Error(terms);
    expect(terms.map((t) => t.weight)).toEqual([5, 7]);
    expect(preferredTermsScore(terms, node)).toBe(12);
    expect(compilePreferredTerms([{ weight: 1, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: [] }] } }])).toBe(
      "for 'in', 'notin' operators, values set can't be empty",
    );
  });
});
