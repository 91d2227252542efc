import { deploymentKind } from '../../api/kinds/apps/deployment';
import { configMapKind } from '../../api/kinds/core/configMap';
import { podKind } from '../../api/kinds/core/pod';
import { acceptedAggregatedVersion, aggregatedContentType, apiResources, resourceDiscovery } from './discovery';

describe('acceptedAggregatedVersion', () => {
  it("takes the client's first acceptable entry", () => {
    const kubectl =
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    expect(acceptedAggregatedVersion(kubectl)).toBe('v2');
    expect(acceptedAggregatedVersion('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList, application/json')).toBe('v2beta1');
    expect(acceptedAggregatedVersion(`application/json, ${aggregatedContentType('v2')}`)).toBeUndefined();
    expect(acceptedAggregatedVersion('*/*')).toBeUndefined();
    expect(acceptedAggregatedVersion(undefined)).toBeUndefined();
  });

  it('skips what it cannot serve: protobuf, other versions and kinds, q=0', () => {
    expect(acceptedAggregatedVersion('application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json')).toBeUndefined();
    expect(acceptedAggregatedVersion('application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList')).toBeUndefined();
    expect(acceptedAggregatedVersion('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')).toBe('v2');
    expect(acceptedAggregatedVersion('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0,application/json')).toBeUndefined();
    // Parameter names are case-insensitive, spaces around them allowed.
    expect(acceptedAggregatedVersion('Application/JSON; G=apidiscovery.k8s.io; V=v2; AS=APIGroupDiscoveryList')).toBe('v2');
  });
});

describe('resourceDiscovery', () => {
  it('regroups the legacy entries: the resource, then its subresources with their response kinds', () => {
    const pods = resourceDiscovery(podKind);
    expect(pods).toMatchObject({ resource: 'pods', responseKind: { group: '', version: 'v1', kind: 'Pod' }, scope: 'Namespaced', singularResource: 'pod', shortNames: ['po'], categories: ['all'] });
    expect(pods.subresources!.map((s) => [s.subresource, `${s.responseKind.group}/${s.responseKind.version}/${s.responseKind.kind}`, s.verbs.join(',')])).toEqual([
      ['status', '/v1/Pod', 'get,patch,update'],
      ['binding', '/v1/Binding', 'create'],
      ['eviction', 'policy/v1/Eviction', 'create'],
      ['exec', '/v1/PodExecOptions', 'create,get'],
      ['log', '/v1/Pod', 'get'],
    ]);
    expect(apiResources(podKind).map((r) => r.name)).toEqual(['pods', 'pods/status', 'pods/binding', 'pods/eviction', 'pods/exec', 'pods/log']);

    expect(resourceDiscovery(deploymentKind).subresources).toEqual([
      { subresource: 'status', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
      { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
    ]);
    const configMaps = resourceDiscovery(configMapKind);
    expect(configMaps.subresources).toBeUndefined();
    expect(configMaps.categories).toBeUndefined();
  });
});
