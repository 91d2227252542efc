import { combineDiscovery, parseApiVersion, RestMapper, versionsInOrder, withVerbs } from './discovery';

const all = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

describe('discovery', () => {
  it('parses apiVersions', () => {
    expect(parseApiVersion('v1')).toEqual({ group: '', version: 'v1' });
    expect(parseApiVersion('apps/v1')).toEqual({ group: 'apps', version: 'v1' });
  });

  it('orders a group’s versions preferred first', () => {
    const group = {
      name: 'stable.example.com',
      versions: [
        { groupVersion: 'stable.example.com/v1beta1', version: 'v1beta1' },
        { groupVersion: 'stable.example.com/v1', version: 'v1' },
      ],
      preferredVersion: { groupVersion: 'stable.example.com/v1', version: 'v1' },
    };
    expect(versionsInOrder(group)).toEqual(['v1', 'v1beta1']);
  });

  it('keeps one preferred version per group resource, drops subresources, keeps every version in `all`', () => {
    const result = combineDiscovery([
      {
        group: '',
        version: 'v1',
        list: {
          resources: [
            { name: 'pods', kind: 'Pod', namespaced: true, verbs: all },
            { name: 'pods/status', kind: 'Pod', namespaced: true, verbs: ['get', 'patch', 'update'] },
            { name: 'namespaces', kind: 'Namespace', namespaced: false, verbs: all },
            { name: 'bindings', kind: 'Binding', namespaced: true, verbs: ['create'] },
          ],
        },
      },
      { group: 'ex.io', version: 'v2', list: { resources: [{ name: 'widgets', kind: 'Widget', namespaced: true, verbs: all }] } },
      {
        group: 'ex.io',
        version: 'v1',
        list: {
          resources: [
            { name: 'widgets', kind: 'Widget', namespaced: true, verbs: all },
            { name: 'gadgets', kind: 'Gadget', namespaced: false, verbs: all },
          ],
        },
      },
    ]);
    expect(result.preferred.map((r) => `${r.gvr.resource}.${r.gvr.group}/${r.gvr.version}`)).toEqual([
      'pods./v1',
      'namespaces./v1',
      'bindings./v1',
      'widgets.ex.io/v2',
      'gadgets.ex.io/v1',
    ]);
    expect(result.all).toHaveLength(6);
    expect(withVerbs(result.preferred, 'delete', 'list', 'watch').map((r) => r.gvr.resource)).toEqual(['pods', 'namespaces', 'widgets', 'gadgets']);

    const mapper = new RestMapper(result.all);
    expect(mapper.resourceFor('ex.io/v1', 'Widget')?.gvr).toEqual({ group: 'ex.io', version: 'v1', resource: 'widgets' });
    expect(mapper.resourceFor('ex.io/v1', 'Gadget')?.namespaced).toBe(false);
    expect(mapper.resourceFor('v1', 'Pod')?.namespaced).toBe(true);
    expect(mapper.resourceFor('apps/v1', 'Deployment')).toBeUndefined();
  });
});
