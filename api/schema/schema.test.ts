import * as s from './schema';

describe('schema builders', () => {
  it('build the nodes the walks and the validator read', () => {
    expect(s.string('d', { pattern: '^a$', maxLength: 3, default: 'a' })).toMatchObject({
      node: { type: 'string', pattern: '^a$', maxLength: 3 },
      meta: { description: 'd', default: 'a' },
    });
    expect(s.int32(undefined, { minimum: 0, default: 1 })).toMatchObject({ node: { type: 'integer', format: 'int32', minimum: 0 }, meta: { default: 1 } });
    expect(s.int64().node).toEqual({ type: 'integer', format: 'int64' });
    expect(s.enumOf(['A', 'B'] as const).node).toEqual({ type: 'string', enum: ['A', 'B'] });
    expect(s.time().node).toEqual({ type: 'string', format: 'date-time' });
    expect(s.bytes().node).toEqual({ type: 'string', format: 'byte' });
    expect(s.quantity().node).toEqual({ type: 'quantity' });
    expect(s.intOrString().node).toEqual({ type: 'int-or-string' });
    expect(s.any().node).toEqual({ type: 'any' });
  });

  it('leave out a description or default that was not given', () => {
    expect(s.string().meta).toEqual({});
    expect(s.boolean().meta).toEqual({});
    expect(s.boolean(undefined, { default: false }).meta).toEqual({ default: false });
  });

  it('build objects with their required fields and options', () => {
    const o = s.object('x.Y', 'a Y', { a: s.string(), b: s.int32() }, { required: ['a'], preserveUnknownFields: true });
    expect(o.node).toMatchObject({ type: 'object', name: 'x.Y', description: 'a Y', required: ['a'], preserveUnknownFields: true });
    expect(s.object(undefined, undefined, {}).node).toEqual({ type: 'object', properties: {}, required: [] });
  });

  it('keep list semantics on arrays', () => {
    expect(s.array(s.string(), 'list', { listType: 'map', listMapKeys: ['name'] }).meta).toEqual({ description: 'list', listType: 'map', listMapKeys: ['name'] });
  });
});

describe('Schema', () => {
  it('doc() and with() return copies that share the node', () => {
    const base = s.object('x.Named', undefined, { a: s.string() });
    const documented = base.doc('here');
    const defaulted = base.with({ default: {} });
    expect(documented.node).toBe(base.node);
    expect(defaulted.node).toBe(base.node);
    expect(documented.meta).toEqual({ description: 'here' });
    expect(defaulted.meta).toEqual({ default: {} });
    expect(base.meta).toEqual({});
    expect(documented.with({ default: { a: 'x' } }).meta).toEqual({ description: 'here', default: { a: 'x' } });
  });

  it('resolved() follows lazy references, and is the schema itself otherwise', () => {
    const target = s.string();
    const ref = s.lazy(() => s.lazy(() => target));
    expect(ref.node.type).toBe('ref');
    expect(ref.resolved()).toBe(target);
    expect(target.resolved()).toBe(target);
  });
});
