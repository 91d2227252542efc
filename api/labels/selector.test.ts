import { StatusError } from '../status';
import {
  formatLabelSelector,
  fromLabelSelector,
  labelSelectorMatches,
  matches,
  parseLabelSelector,
  type Requirement,
} from './selector';

/** The 400 BadRequest that parsing `input` must throw. */
function rejection(input: string): StatusError {
  try {
    parseLabelSelector(input);
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

const selects = (selector: string, labels: Record<string, string> | undefined) => matches(parseLabelSelector(selector), labels);

describe('parseLabelSelector', () => {
  it('parses equality, inequality, set and existence requirements', () => {
    expect(parseLabelSelector('app=web')).toEqual([{ key: 'app', operator: 'In', values: ['web'] }]);
    expect(parseLabelSelector('app==web')).toEqual([{ key: 'app', operator: 'In', values: ['web'] }]);
    expect(parseLabelSelector('tier!=db')).toEqual([{ key: 'tier', operator: 'NotIn', values: ['db'] }]);
    expect(parseLabelSelector('env in (prod,staging)')).toEqual([{ key: 'env', operator: 'In', values: ['prod', 'staging'] }]);
    expect(parseLabelSelector('env notin (dev)')).toEqual([{ key: 'env', operator: 'NotIn', values: ['dev'] }]);
    expect(parseLabelSelector('gpu')).toEqual([{ key: 'gpu', operator: 'Exists', values: [] }]);
    expect(parseLabelSelector('!gpu')).toEqual([{ key: 'gpu', operator: 'DoesNotExist', values: [] }]);
    expect(parseLabelSelector('replicas>1')).toEqual([{ key: 'replicas', operator: 'Gt', values: ['1'] }]);
    expect(parseLabelSelector('replicas<10')).toEqual([{ key: 'replicas', operator: 'Lt', values: ['10'] }]);
  });

  it('ANDs comma-separated requirements, keeping their order', () => {
    expect(parseLabelSelector('app=web,tier!=db,env in (a,b),!gpu,zone')).toEqual([
      { key: 'app', operator: 'In', values: ['web'] },
      { key: 'tier', operator: 'NotIn', values: ['db'] },
      { key: 'env', operator: 'In', values: ['a', 'b'] },
      { key: 'gpu', operator: 'DoesNotExist', values: [] },
      { key: 'zone', operator: 'Exists', values: [] },
    ]);
  });

  it('parses the empty selector (and a blank one) as no requirements', () => {
    expect(parseLabelSelector('')).toEqual([]);
    expect(parseLabelSelector('   ')).toEqual([]);
  });

  it('accepts an empty value after =, == and != (`a=` selects the empty label value)', () => {
    expect(parseLabelSelector('a=')).toEqual([{ key: 'a', operator: 'In', values: [''] }]);
    expect(parseLabelSelector('a==')).toEqual([{ key: 'a', operator: 'In', values: [''] }]);
    expect(parseLabelSelector('a!=')).toEqual([{ key: 'a', operator: 'NotIn', values: [''] }]);
    expect(parseLabelSelector('a=,b=c')).toEqual([
      { key: 'a', operator: 'In', values: [''] },
      { key: 'b', operator: 'In', values: ['c'] },
    ]);
    expect(parseLabelSelector('x= ,z= ')).toEqual([
      { key: 'x', operator: 'In', values: [''] },
      { key: 'z', operator: 'In', values: [''] },
    ]);
  });

  it('treats every empty slot of a value set as the empty value, as Kubernetes does', () => {
    // Kubernetes' own documented example: "x in (foo,,baz),y,z notin ()".
    const reqs = parseLabelSelector('x in (foo,,baz),y,z notin ()');
    expect(reqs.map((r) => [r.key, r.operator, [...new Set(r.values)].sort()])).toEqual([
      ['x', 'In', ['', 'baz', 'foo']],
      ['y', 'Exists', []],
      ['z', 'NotIn', ['']],
    ]);
    expect(new Set(parseLabelSelector('a in (x,)')[0]!.values)).toEqual(new Set(['x', '']));
    expect(new Set(parseLabelSelector('a in (,x)')[0]!.values)).toEqual(new Set(['', 'x']));
    expect(new Set(parseLabelSelector('a in ()')[0]!.values)).toEqual(new Set(['']));
  });

  it('ignores whitespace around tokens', () => {
    expect(parseLabelSelector('  app = web ,\ttier != db , env in(a , b) ,  ! gpu\n')).toEqual([
      { key: 'app', operator: 'In', values: ['web'] },
      { key: 'tier', operator: 'NotIn', values: ['db'] },
      { key: 'env', operator: 'In', values: ['a', 'b'] },
      { key: 'gpu', operator: 'DoesNotExist', values: [] },
    ]);
    expect(parseLabelSelector('env notin ( a , b )')).toEqual([{ key: 'env', operator: 'NotIn', values: ['a', 'b'] }]);
  });

  it('accepts prefixed keys and the full label value alphabet', () => {
    expect(parseLabelSelector('app.kubernetes.io/name=My_app-1.2')).toEqual([
      { key: 'app.kubernetes.io/name', operator: 'In', values: ['My_app-1.2'] },
    ]);
    expect(parseLabelSelector('example.com/Tier in (A,b_c)')).toEqual([{ key: 'example.com/Tier', operator: 'In', values: ['A', 'b_c'] }]);
  });

  it('reads "in" and "notin" as plain words where a key or value is expected', () => {
    expect(parseLabelSelector('a in (in,notin)')).toEqual([{ key: 'a', operator: 'In', values: ['in', 'notin'] }]);
    expect(parseLabelSelector('a=in')).toEqual([{ key: 'a', operator: 'In', values: ['in'] }]);
    expect(parseLabelSelector('in=x')).toEqual([{ key: 'in', operator: 'In', values: ['x'] }]);
  });

  it.each([
    ['a=b,', 'trailing comma'],
    [',', 'lone comma'],
    [',a=b', 'leading comma'],
    ['a=b,,c=d', 'empty requirement'],
    ['!', 'bare !'],
    ['!a=b', '! with a value'],
    ['!a in (b)', '! with a set'],
    ['a b', 'two words'],
    ['a=b c', 'value followed by a word'],
    ['a=b=c', 'two operators'],
    ['a===b', 'triple ='],
    ['a!b', '! as a binary operator'],
    ['=b', 'missing key'],
    ['!=b', 'missing key before !='],
    ['a in b', 'set without parentheses'],
    ['a in (b', 'unclosed set'],
    ['a in (b c)', 'set values without comma'],
    ['a in (b))', 'extra parenthesis'],
    ['a in', 'in without a set'],
    ['a=(b)', 'parenthesis after ='],
    ['(a)', 'parenthesis as a key'],
    ['a>b', 'non-integer Gt'],
    ['a<1.5', 'non-integer Lt'],
    ['a>', 'Gt without value'],
  ])('rejects %j (%s) with 400 BadRequest', (input) => {
    const err = rejection(input);
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toMatch(/^unable to parse requirement: /);
    expect(err.toStatus()).toMatchObject({ kind: 'Status', status: 'Failure', code: 400, reason: 'BadRequest' });
  });

  it.each([
    ['-a=b', 'name part must consist of alphanumeric characters'],
    ['a-=b', 'name part must consist of alphanumeric characters'],
    ['a/b/c=d', 'a qualified name must consist of alphanumeric characters'],
    ['/a=b', 'prefix part must be non-empty'],
    ['a/=b', 'name part must be non-empty'],
    ['Example.com/a=b', 'prefix part a lowercase RFC 1123 subdomain'],
    [`${'k'.repeat(64)}=v`, 'name part must be no more than 63 characters'],
    ['!-gpu', 'name part must consist of alphanumeric characters'],
  ])('rejects the invalid key in %j', (input, why) => {
    const err = rejection(input);
    expect(err.code).toBe(400);
    expect(err.message).toContain(why);
  });

  it.each([
    ['a=-b', 'a valid label must be an empty string or consist of alphanumeric characters'],
    ['a=b_', 'a valid label must be an empty string or consist of alphanumeric characters'],
    ['a=b/c', 'a valid label must be an empty string or consist of alphanumeric characters'],
    ['a in (ok,-bad)', 'a valid label must be an empty string or consist of alphanumeric characters'],
    ['a notin (.x)', 'a valid label must be an empty string or consist of alphanumeric characters'],
    [`a=${'v'.repeat(64)}`, 'must be no more than 63 characters'],
  ])('rejects the invalid value in %j', (input, why) => {
    const err = rejection(input);
    expect(err.code).toBe(400);
    expect(err.message).toContain(why);
  });

  it('accepts keys and values of exactly 63 characters', () => {
    const key = 'k'.repeat(63);
    const value = 'v'.repeat(63);
    expect(parseLabelSelector(`${key}=${value}`)).toEqual([{ key, operator: 'In', values: [value] }]);
  });
});

describe('matches', () => {
  const labels = { app: 'web', tier: 'frontend', replicas: '10', empty: '' };

  it('In / = require the key with one of the values', () => {
    expect(selects('app=web', labels)).toBe(true);
    expect(selects('app=db', labels)).toBe(false);
    expect(selects('app in (db,web)', labels)).toBe(true);
    expect(selects('app in (db,cache)', labels)).toBe(false);
    expect(selects('missing=web', labels)).toBe(false);
    expect(selects('missing in (web)', labels)).toBe(false);
  });

  it('NotIn / != match a missing key, and any other value', () => {
    expect(selects('missing!=web', labels)).toBe(true);
    expect(selects('missing notin (web)', labels)).toBe(true);
    expect(selects('app!=db', labels)).toBe(true);
    expect(selects('app!=web', labels)).toBe(false);
    expect(selects('app notin (db,web)', labels)).toBe(false);
    expect(selects('app notin (db,cache)', labels)).toBe(true);
  });

  it('Exists and DoesNotExist look only at the key', () => {
    expect(selects('empty', labels)).toBe(true);
    expect(selects('missing', labels)).toBe(false);
    expect(selects('!empty', labels)).toBe(false);
    expect(selects('!missing', labels)).toBe(true);
  });

  it('tells the empty value apart from a missing label', () => {
    expect(selects('empty=', labels)).toBe(true);
    expect(selects('app=', labels)).toBe(false);
    expect(selects('missing=', labels)).toBe(false);
    expect(selects('empty!=', labels)).toBe(false);
    expect(selects('missing!=', labels)).toBe(true);
    expect(selects('empty in (x,)', labels)).toBe(true);
    expect(selects('empty notin ()', labels)).toBe(false);
  });

  it('Gt and Lt compare integers numerically and never match a missing or non-integer label', () => {
    expect(selects('replicas>9', labels)).toBe(true); // 10 > 9, although "10" < "9" as strings
    expect(selects('replicas>10', labels)).toBe(false);
    expect(selects('replicas<11', labels)).toBe(true);
    expect(selects('replicas<10', labels)).toBe(false);
    expect(selects('replicas<100', labels)).toBe(true);
    expect(selects('missing>0', labels)).toBe(false);
    expect(selects('missing<1000', labels)).toBe(false);
    expect(selects('app>0', labels)).toBe(false);
    expect(selects('app<0', labels)).toBe(false);
  });

  it('ANDs requirements', () => {
    expect(selects('app=web,tier=frontend', labels)).toBe(true);
    expect(selects('app=web,tier=backend', labels)).toBe(false);
    expect(selects('app=web,!tier', labels)).toBe(false);
  });

  it('matches everything with no requirements, even an object without labels', () => {
    expect(matches([], labels)).toBe(true);
    expect(matches([], {})).toBe(true);
    expect(matches([], undefined)).toBe(true);
  });

  it('treats undefined labels as no labels', () => {
    expect(selects('app=web', undefined)).toBe(false);
    expect(selects('app', undefined)).toBe(false);
    expect(selects('!app', undefined)).toBe(true);
    expect(selects('app!=web', undefined)).toBe(true);
    expect(selects('app notin (web)', undefined)).toBe(true);
    expect(selects('n>1', undefined)).toBe(false);
  });

  it('looks only at the labels themselves, not inherited object properties', () => {
    expect(selects('constructor', {})).toBe(false);
    expect(selects('!toString', {})).toBe(true);
  });
});

describe('fromLabelSelector and labelSelectorMatches', () => {
  it('turns matchLabels into In requirements and keeps matchExpressions', () => {
    expect(
      fromLabelSelector({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'env', operator: 'NotIn', values: ['dev', 'test'] },
          { key: 'gpu', operator: 'Exists' },
        ],
      }),
    ).toEqual([
      { key: 'app', operator: 'In', values: ['web'] },
      { key: 'env', operator: 'NotIn', values: ['dev', 'test'] },
      { key: 'gpu', operator: 'Exists', values: [] },
    ]);
  });

  it('a missing selector selects nothing', () => {
    expect(labelSelectorMatches(undefined, { app: 'web' })).toBe(false);
    expect(labelSelectorMatches(undefined, {})).toBe(false);
    expect(labelSelectorMatches(undefined, undefined)).toBe(false);
  });

  it('an empty selector selects everything', () => {
    expect(labelSelectorMatches({}, { app: 'web' })).toBe(true);
    expect(labelSelectorMatches({}, undefined)).toBe(true);
    expect(labelSelectorMatches({ matchLabels: {}, matchExpressions: [] }, {})).toBe(true);
  });

  it('ANDs matchLabels and matchExpressions', () => {
    const selector = {
      matchLabels: { app: 'web', tier: 'frontend' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'staging'] },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    };
    expect(labelSelectorMatches(selector, { app: 'web', tier: 'frontend', env: 'prod' })).toBe(true);
    expect(labelSelectorMatches(selector, { app: 'web', tier: 'frontend', env: 'dev' })).toBe(false);
    expect(labelSelectorMatches(selector, { app: 'web', env: 'prod' })).toBe(false);
    expect(labelSelectorMatches(selector, { app: 'web', tier: 'frontend', env: 'prod', canary: 'true' })).toBe(false);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] }, {})).toBe(true);
  });
});

describe('formatLabelSelector', () => {
  it('prints requirements as kubectl writes them', () => {
    expect(
      formatLabelSelector([
        { key: 'app', operator: 'In', values: ['web'] },
        { key: 'env', operator: 'In', values: ['prod', 'staging'] },
        { key: 'tier', operator: 'NotIn', values: ['db'] },
        { key: 'zone', operator: 'NotIn', values: ['a', 'b'] },
        { key: 'gpu', operator: 'Exists', values: [] },
        { key: 'spot', operator: 'DoesNotExist', values: [] },
        { key: 'n', operator: 'Gt', values: ['1'] },
        { key: 'm', operator: 'Lt', values: ['5'] },
      ]),
    ).toBe('app=web,env in (prod,staging),tier!=db,zone notin (a,b),gpu,!spot,n>1,m<5');
    expect(formatLabelSelector([])).toBe('');
  });

  const requirementLists: Requirement[][] = [
    [],
    [{ key: 'app', operator: 'In', values: ['web'] }],
    [{ key: 'app', operator: 'In', values: [''] }],
    [{ key: 'app', operator: 'NotIn', values: [''] }],
    [{ key: 'env', operator: 'In', values: ['x', ''] }],
    [{ key: 'env', operator: 'NotIn', values: ['', 'x', 'y'] }],
    [
      { key: 'example.com/app', operator: 'In', values: ['a', 'b'] },
      { key: 'gpu', operator: 'Exists', values: [] },
      { key: 'spot', operator: 'DoesNotExist', values: [] },
      { key: 'n', operator: 'Gt', values: ['10'] },
      { key: 'm', operator: 'Lt', values: ['0'] },
    ],
  ];

  it.each(requirementLists.map((reqs) => [formatLabelSelector(reqs), reqs] as const))('round-trips %j through parseLabelSelector', (text, reqs) => {
    expect(parseLabelSelector(text)).toEqual(reqs);
  });

  it('round-trips label selectors from objects, selecting the same labels', () => {
    const selector = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', ''] },
        { key: 'tier', operator: 'NotIn', values: ['db'] },
        { key: 'gpu', operator: 'DoesNotExist' },
      ],
    };
    const reqs = fromLabelSelector(selector);
    const reparsed = parseLabelSelector(formatLabelSelector(reqs));
    expect(reparsed).toEqual(reqs);
    const samples: Record<string, string>[] = [{ app: 'web', env: 'prod' }, { app: 'web', env: '' }, { app: 'web' }, { app: 'web', env: 'prod', tier: 'db' }, { app: 'web', env: 'prod', gpu: '1' }];
    for (const labels of samples) expect(matches(reparsed, labels)).toBe(labelSelectorMatches(selector, labels));
  });

  it.each(['app=web', 'env in (a,b),tier!=db', 'x in (foo,,baz),y,z notin ()', '!gpu,n>3', 'a=,b!='])(
    'parse → format → parse is stable for %j',
    (text) => {
      const once = parseLabelSelector(text);
      expect(parseLabelSelector(formatLabelSelector(once))).toEqual(once);
    },
  );
});
