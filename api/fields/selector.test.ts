import { StatusError } from '../status';
import { compileFieldSelector, parseFieldSelector, requiredValue, type FieldGetter } from './selector';

interface Pod {
  metadata: { name: string; namespace: string };
  spec: { nodeName?: string };
  status: { phase: string };
}

const podFields: Record<string, FieldGetter<Pod>> = {
  'metadata.name': (p) => p.metadata.name,
  'metadata.namespace': (p) => p.metadata.namespace,
  'spec.nodeName': (p) => p.spec.nodeName ?? '',
  'status.phase': (p) => p.status.phase,
};

function pod(name: string, phase: string, nodeName?: string): Pod {
  return { metadata: { name, namespace: 'default' }, spec: nodeName === undefined ? {} : { nodeName }, status: { phase } };
}

function caught(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected a StatusError');
}

describe('parseFieldSelector', () => {
  it('parses =, == and !=', () => {
    expect(parseFieldSelector('metadata.name=web')).toEqual([{ field: 'metadata.name', operator: '=', value: 'web' }]);
    expect(parseFieldSelector('metadata.name==web')).toEqual([{ field: 'metadata.name', operator: '=', value: 'web' }]);
    expect(parseFieldSelector('status.phase!=Running')).toEqual([{ field: 'status.phase', operator: '!=', value: 'Running' }]);
  });

  it('parses several comma-separated terms', () => {
    expect(parseFieldSelector('metadata.namespace=default,status.phase!=Succeeded,spec.nodeName==node-1')).toEqual([
      { field: 'metadata.namespace', operator: '=', value: 'default' },
      { field: 'status.phase', operator: '!=', value: 'Succeeded' },
      { field: 'spec.nodeName', operator: '=', value: 'node-1' },
    ]);
  });

  it('parses the empty selector, and skips empty terms', () => {
    expect(parseFieldSelector('')).toEqual([]);
    expect(parseFieldSelector(',')).toEqual([]);
    expect(parseFieldSelector('metadata.name=a,,status.phase=Running,')).toEqual([
      { field: 'metadata.name', operator: '=', value: 'a' },
      { field: 'status.phase', operator: '=', value: 'Running' },
    ]);
  });

  it('accepts an empty value (spec.nodeName= selects unscheduled pods)', () => {
    expect(parseFieldSelector('spec.nodeName=')).toEqual([{ field: 'spec.nodeName', operator: '=', value: '' }]);
    expect(parseFieldSelector('spec.nodeName!=')).toEqual([{ field: 'spec.nodeName', operator: '!=', value: '' }]);
  });

  it('does not leave part of the operator in the value', () => {
    expect(parseFieldSelector('a==b')[0]!.value).toBe('b');
    expect(parseFieldSelector('a!=b')[0]).toEqual({ field: 'a', operator: '!=', value: 'b' });
  });

  it('unescapes backslash-escaped commas, equals signs and backslashes in values', () => {
    expect(parseFieldSelector('metadata.name=a\\,b')).toEqual([{ field: 'metadata.name', operator: '=', value: 'a,b' }]);
    expect(parseFieldSelector('metadata.name=a\\,b,status.phase=Running')).toEqual([
      { field: 'metadata.name', operator: '=', value: 'a,b' },
      { field: 'status.phase', operator: '=', value: 'Running' },
    ]);
    expect(parseFieldSelector('metadata.name=a\\=b')[0]!.value).toBe('a=b');
    expect(parseFieldSelector('metadata.name=a\\\\b')[0]!.value).toBe('a\\b');
    expect(parseFieldSelector('metadata.name=a\\\\,status.phase=x')).toEqual([
      { field: 'metadata.name', operator: '=', value: 'a\\' },
      { field: 'status.phase', operator: '=', value: 'x' },
    ]);
  });

  it('rejects a term without an operator with 400 and Kubernetes\' message', () => {
    const err = caught(() => parseFieldSelector('metadata.name=a,bogus'));
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe("invalid selector: 'metadata.name=a,bogus'; can't understand 'bogus'");
    expect(caught(() => parseFieldSelector('foo')).message).toBe("invalid selector: 'foo'; can't understand 'foo'");
  });
});

describe('compileFieldSelector', () => {
  const pods = [pod('a', 'Running', 'node-1'), pod('b', 'Pending'), pod('c', 'Running', 'node-2'), pod('d', 'Succeeded', 'node-1')];
  const select = (selector: string) => pods.filter(compileFieldSelector(parseFieldSelector(selector), podFields)).map((p) => p.metadata.name);

  it('matches = and != against the kind\'s fields', () => {
    expect(select('metadata.name=b')).toEqual(['b']);
    expect(select('status.phase=Running')).toEqual(['a', 'c']);
    expect(select('status.phase!=Running')).toEqual(['b', 'd']);
    expect(select('status.phase==Running')).toEqual(['a', 'c']);
  });

  it('ANDs terms', () => {
    expect(select('status.phase=Running,spec.nodeName=node-1')).toEqual(['a']);
    expect(select('spec.nodeName=node-1,status.phase!=Running')).toEqual(['d']);
    expect(select('metadata.name=a,metadata.name=b')).toEqual([]);
  });

  it('selects by an empty value', () => {
    expect(select('spec.nodeName=')).toEqual(['b']);
    expect(select('spec.nodeName!=')).toEqual(['a', 'c', 'd']);
  });

  it('selects everything with no terms', () => {
    expect(select('')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('rejects a field the kind does not offer with 400 "field label not supported"', () => {
    const err = caught(() => compileFieldSelector(parseFieldSelector('metadata.name=a,spec.bogus=x'), podFields));
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe('field label not supported: spec.bogus');
    expect(caught(() => compileFieldSelector([{ field: 'x', operator: '!=', value: '' }], podFields)).message).toBe('field label not supported: x');
  });

  it('does not take inherited object properties for selectable fields', () => {
    expect(caught(() => compileFieldSelector(parseFieldSelector('constructor=x'), podFields)).message).toBe('field label not supported: constructor');
    expect(caught(() => compileFieldSelector(parseFieldSelector('__proto__=x'), podFields)).message).toBe('field label not supported: __proto__');
    expect(caught(() => compileFieldSelector(parseFieldSelector('toString!=x'), podFields)).code).toBe(400);
  });
});

describe('requiredValue', () => {
  it('returns the value a selector requires of a field with =', () => {
    const reqs = parseFieldSelector('metadata.namespace=default,spec.nodeName=node-1');
    expect(requiredValue(reqs, 'spec.nodeName')).toBe('node-1');
    expect(requiredValue(reqs, 'metadata.namespace')).toBe('default');
    expect(requiredValue(parseFieldSelector('spec.nodeName='), 'spec.nodeName')).toBe('');
  });

  it('returns undefined for != and for fields the selector does not mention', () => {
    const reqs = parseFieldSelector('spec.nodeName!=node-1,metadata.name=a');
    expect(requiredValue(reqs, 'spec.nodeName')).toBeUndefined();
    expect(requiredValue(reqs, 'status.phase')).toBeUndefined();
    expect(requiredValue([], 'metadata.name')).toBeUndefined();
  });

  it('finds the = term among others on the same field', () => {
    expect(requiredValue(parseFieldSelector('spec.nodeName!=x,spec.nodeName=y'), 'spec.nodeName')).toBe('y');
  });
});
