import { expand, expandCommandAndArgs, mappingFor } from './expansion';

describe('expand', () => {
  const vars = new Map([
    ['VAR_A', 'A'],
    ['VAR_B', 'B'],
    ['VAR_C', 'C'],
    ['VAR_REF', '$(VAR_A)'],
    ['VAR_EMPTY', ''],
  ]);
  const mapping = mappingFor(vars);
  const cases: [string, string][] = [
    ['$(VAR_A)', 'A'],
    ['$(VAR_A)-$(VAR_A)', 'A-A'],
    ['___$(VAR_B)___', '___B___'],
    ['$(VAR_A)_$(VAR_B)_$(VAR_C)', 'A_B_C'],
    ['$$(VAR_B)_$(VAR_A)', '$(VAR_B)_A'],
    ['$$(VAR_A)_$$(VAR_B)', '$(VAR_A)_$(VAR_B)'],
    ['f000-$$VAR_A', 'f000-$VAR_A'],
    ['foo\\$(VAR_C)bar', 'foo\\Cbar'],
    ['$(VAR_A$(VAR_B))', '$(VAR_A$(VAR_B))'],
    ['$(VAR_A$(VAR_B)', '$(VAR_A$(VAR_B)'],
    ['$(VAR_REF)', '$(VAR_A)'],
    ['foo$(VAR_EMPTY)bar', 'foobar'],
    ['foo$(VAR_Awhoops!', 'foo$(VAR_Awhoops!'],
    ['f00__(VAR_A)__', 'f00__(VAR_A)__'],
    ['$?_boo_$!', '$?_boo_$!'],
    ['$VAR_A', '$VAR_A'],
    ['$(VAR_DNE)', '$(VAR_DNE)'],
    ['$$$$$$(BIG_MONEY)', '$$$(BIG_MONEY)'],
    ['$$$$$$(VAR_A)', '$$$(VAR_A)'],
    ['$$$$$$$(GOOD_ODDS)', '$$$$(GOOD_ODDS)'],
    ['$$$$$$$(VAR_A)', '$$$A'],
    ['$VAR_A)', '$VAR_A)'],
    ['${VAR_A}', '${VAR_A}'],
    ['$(VAR_B)_______$(A', 'B_______$(A'],
    ['$(VAR_C)_______$(', 'C_______$('],
    ['$(VAR_A)foobarzab$', 'Afoobarzab$'],
    ['--$($($($($--', '--$($($($($--'],
    ['$($($($($--foo$(', '$($($($($--foo$('],
    ['foo0--$($($($(', 'foo0--$($($($('],
    ['$(foo$$var)', '$(foo$$var)'],
    ['\n', '\n'],
  ];
  it.each(cases)('%j → %j', (input, expected) => {
    expect(expand(input, mapping)).toBe(expected);
  });

  it('looks names up in each context in order', () => {
    const m = mappingFor(new Map([['X', '1']]), new Map([['X', '2'], ['Y', '3']]));
    expect(expand('$(X)$(Y)$(Z)', m)).toBe('13$(Z)');
  });
});

describe('expandCommandAndArgs', () => {
  it('expands command and args against the environment, the last definition winning', () => {
    const env = [
      { name: 'GREETING', value: 'hi' },
      { name: 'WHO', value: 'x' },
      { name: 'WHO', value: 'world' },
    ];
    expect(expandCommandAndArgs(['echo', '$(GREETING)'], ['$(WHO)', '$$(WHO)', '$(NOPE)'], env)).toEqual({
      command: ['echo', 'hi'],
      args: ['world', '$(WHO)', '$(NOPE)'],
    });
    expect(expandCommandAndArgs(undefined, undefined, env)).toEqual({ command: [], args: [] });
  });
});
