import { keyElement, keyElementOf, PathElementError, validElement } from './pathElement';

describe('path elements', () => {
  it('serializes keys with their names sorted, equal names in their given order', () => {
    expect(keyElementOf(['protocol', 'port'])(['TCP', 80])).toBe('k:{"port":80,"protocol":"TCP"}');
    expect(keyElementOf(['protocol', 'port'])(['UDP', 53])).toBe(keyElement([['port', 53], ['protocol', 'UDP']]));
    expect(keyElement([['b', 1], ['a', 'x'], ['a', 2]])).toBe('k:{"a":"x","a":2,"b":1}');
    expect(keyElement([['k', { z: 1, a: [null] }]])).toBe('k:{"k":{"a":[null],"z":1}}');
    expect(keyElement([])).toBe('k:{}');
  });

  it('tells valid elements every time it is asked, and rejects malformed ones every time', () => {
    for (let i = 0; i < 2; i++) {
      expect(validElement('k:{"name":"a"}')).toBe(true);
      expect(validElement('x:new-kind')).toBe(false);
      expect(() => validElement('k:["not","an","object"]')).toThrow(PathElementError);
      expect(() => validElement('k:{')).toThrow(PathElementError);
    }
  });
});
