import type { KubeObject } from '../../api/kinds/kind';
import { annotationsChanged, anyOf, generationChanged, labelsChanged, matching, not, passesCreate, passesDelete, passesUpdate, resourceVersionChanged } from './predicates';

const obj = (meta: Record<string, unknown>): KubeObject => ({ metadata: { name: 'x', ...meta } });

describe('predicates', () => {
  it('generationChanged passes creates, deletes and updates that change metadata.generation', () => {
    expect(passesCreate(generationChanged, obj({}))).toBe(true);
    expect(passesDelete(generationChanged, obj({}))).toBe(true);
    expect(passesUpdate(generationChanged, obj({ generation: 1, resourceVersion: '1' }), obj({ generation: 1, resourceVersion: '2' }))).toBe(false);
    expect(passesUpdate(generationChanged, obj({ generation: 1 }), obj({ generation: 2 }))).toBe(true);
  });

  it('resourceVersionChanged drops resync re-deliveries', () => {
    const o = obj({ resourceVersion: '5' });
    expect(passesUpdate(resourceVersionChanged, o, o)).toBe(false);
    expect(passesUpdate(resourceVersionChanged, o, obj({ resourceVersion: '6' }))).toBe(true);
  });

  it('labelsChanged and annotationsChanged compare the maps', () => {
    expect(passesUpdate(labelsChanged, obj({ labels: { a: '1' } }), obj({ labels: { a: '1' } }))).toBe(false);
    expect(passesUpdate(labelsChanged, obj({}), obj({ labels: {} }))).toBe(false);
    expect(passesUpdate(labelsChanged, obj({ labels: { a: '1' } }), obj({ labels: { a: '2' } }))).toBe(true);
    expect(passesUpdate(labelsChanged, obj({ labels: { a: '1' } }), obj({ labels: { b: '1' } }))).toBe(true);
    expect(passesUpdate(annotationsChanged, obj({ annotations: { a: '1' } }), obj({}))).toBe(true);
  });

  it('combine: matching, anyOf, not', () => {
    const named = (n: string) => matching((o) => o.metadata?.name === n);
    expect(passesCreate(named('x'), obj({}))).toBe(true);
    expect(passesCreate(named('y'), obj({}))).toBe(false);
    expect(passesCreate(anyOf(named('y'), named('x')), obj({}))).toBe(true);
    expect(passesCreate(anyOf(), obj({}))).toBe(false);
    expect(passesUpdate(not(generationChanged), obj({ generation: 1 }), obj({ generation: 1 }))).toBe(true);
  });
});
