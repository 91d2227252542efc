import type { Pod } from '../../api/kinds/core/pod';
import { CycleStateImpl } from '../framework/cycleState';
import type { SchedulerApi } from '../framework/interfaces';
import { DefaultBinder } from './defaultBinder';

const pod = { metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [] } } as unknown as Pod;

describe('DefaultBinder', () => {
  it('binds through the API and turns a failure into an Error status', async () => {
    const calls: string[] = [];
    const api: SchedulerApi = {
      bind: async (p, node) => {
        calls.push(`${p.metadata?.name}->${node}`);
        if (node === 'bad') throw new Error('pods "p" not found');
      },
      deletePod: async () => {},
      clearNominatedNodeName: async () => {},
    };
    const binder = new DefaultBinder(api);
    expect((await binder.bind(new CycleStateImpl(), pod, 'n1')).code).toBe('Success');
    expect(await binder.bind(new CycleStateImpl(), pod, 'bad')).toEqual({ code: 'Error', reasons: ['pods "p" not found'] });
    expect(calls).toEqual(['p->n1', 'p->bad']);
  });
});
