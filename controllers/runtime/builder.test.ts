import { RestClient } from '../../client/restClient';
import { newControllerManagedBy } from './builder';
import { ReconcileController } from './controller';
import { Manager } from './manager';

const manager = () => new Manager({ client: new RestClient({ server: 'http://127.0.0.1:1', rateLimit: false }), name: 'unit', leaderElection: false });
const noop = async () => {};
const pods = { group: '', version: 'v1', resource: 'pods' };
const widgets = { group: 'example.com', version: 'v1', resource: 'widgets' };

describe('newControllerManagedBy (without a server: nothing is requested before start)', () => {
  it('names the controller after the for-kind, shares informers, and adds it to the manager', () => {
    const m = manager();
    const c = newControllerManagedBy(m).for(pods).owns(pods).withConcurrency(3).complete(noop);
    expect(c.name).toBe('pod');
    expect(c).toBeInstanceOf(ReconcileController);
    expect((c as ReconcileController).concurrency).toBe(3);
    expect(m.informers.size).toBe(1);
    expect(() => newControllerManagedBy(m).for(pods).complete(noop)).toThrow(/already added/);
    expect(newControllerManagedBy(m).named('pods-2').for(pods).complete(noop).name).toBe('pods-2');
  });

  it('explains what is missing', () => {
    const m = manager();
    expect(() => newControllerManagedBy(m).watches(pods, () => []).complete(noop)).toThrow(/named\(\)/);
    expect(() => newControllerManagedBy(m).named('x').complete(noop)).toThrow(/nothing to watch/);
    expect(() => newControllerManagedBy(m).for(widgets).owns(pods).complete(noop)).toThrow(/for-kind is unknown/);
    expect(() => newControllerManagedBy(m).for(pods).for(pods)).toThrow(/only once/);
    expect(() => newControllerManagedBy(m).withConcurrency(0)).toThrow(/positive integer/);
    // A custom resource names its kind.
    expect(newControllerManagedBy(m).for(widgets, { kind: { apiVersion: 'example.com/v1', kind: 'Widget' } }).owns(pods).complete(noop).name).toBe('widget');
  });
});
