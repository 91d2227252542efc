import { parseSchedulerConfiguration } from './load';

describe('parseSchedulerConfiguration', () => {
  it('reads profiles, plugins with weights, plugin args and percentageOfNodesToScore', () => {
    const config = parseSchedulerConfiguration(`
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 30
profiles:
- schedulerName: default-scheduler
- schedulerName: bin-packer
  percentageOfNodesToScore: 100
  plugins:
    score:
      disabled:
      - name: NodeResourcesBalancedAllocation
      enabled:
      - name: NodeResourcesFit
        weight: 5
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
`);
    expect(config.percentageOfNodesToScore).toBe(30);
    expect(config.profiles.map((p) => p.schedulerName)).toEqual(['default-scheduler', 'bin-packer']);
    expect(config.profiles[1]).toMatchObject({
      percentageOfNodesToScore: 100,
      plugins: { score: { disabled: [{ name: 'NodeResourcesBalancedAllocation' }], enabled: [{ name: 'NodeResourcesFit', weight: 5 }] } },
      pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }],
    });
  });

  it('defaults to one default-scheduler profile', () => {
    expect(parseSchedulerConfiguration('kind: KubeSchedulerConfiguration').profiles).toEqual([{ schedulerName: 'default-scheduler' }]);
    expect(parseSchedulerConfiguration('').profiles.length).toBe(1);
  });

  it.each([
    ['profiles: [{schedulerName: a}, {schedulerName: a}]', 'profiles: duplicate schedulerName "a"'],
    ['profiles: [{schedulerName: a, plugins: {filterz: {}}}]', 'profiles[0].plugins: unknown field "filterz"'],
    ['profiles: [{plugins: {score: {enabled: [{name: X, weight: -1}]}}}]', 'profiles[0].plugins.score.enabled[0].weight: must be an integer from 0 to 100'],
    ['percentageOfNodesToScore: 101', 'percentageOfNodesToScore: must be an integer from 0 to 100'],
    ['kind: Pod', 'config: kind must be KubeSchedulerConfiguration, got "Pod"'],
    ['profiles: {}', 'profiles: must be a list'],
    ['profiles: [', 'not valid YAML'],
    ['bogus: 1', 'config: unknown field "bogus"'],
  ])('rejects %s', (text, message) => {
    expect(() => parseSchedulerConfiguration(text)).toThrow(message);
  });
});
