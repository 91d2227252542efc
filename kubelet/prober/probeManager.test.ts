import type { Container } from '../../api/kinds/core/container';
import { FakeClock } from '../../client/clock';
import { FakeRuntime } from '../runtime/fake';
import { ProbeManager, type ProbedContainer } from './probeManager';

const flush = () => new Promise((r) => setImmediate(r));

function setup(container: Container, outcomes: Record<string, ('success' | 'failure')[]>) {
  const clock = new FakeClock();
  const changes: string[] = [];
  const runs: string[] = [];
  const manager = new ProbeManager(new FakeRuntime(), (uid) => changes.push(uid), {
    clock,
    run: async (probe) => {
      const kind = probe === container.livenessProbe ? 'liveness' : probe === container.readinessProbe ? 'readiness' : 'startup';
      runs.push(kind);
      return outcomes[kind]!.shift() ?? 'success';
    },
  });
  const target: ProbedContainer = { podUid: 'p1', id: 'c1', container, startedAt: clock.now(), podIP: '10.0.0.2' };
  manager.syncPod('p1', [target]);
  const step = async (ms: number) => {
    clock.advance(ms);
    await flush();
  };
  return { manager, changes, runs, step };
}

test('initial results, initialDelaySeconds, and thresholds of consecutive outcomes', async () => {
  const c: Container = { name: 'main', readinessProbe: { exec: { command: ['x'] }, initialDelaySeconds: 2, periodSeconds: 1, successThreshold: 2 }, livenessProbe: { exec: { command: ['y'] }, periodSeconds: 1, failureThreshold: 2 } };
  const { manager, changes, runs, step } = setup(c, { readiness: ['success', 'success'], liveness: ['failure', 'success', 'failure', 'failure'] });
  expect(manager.readiness('c1')).toBe('failure');
  expect(manager.liveness('c1')).toBe('success');
  await step(0);
  expect(runs).toEqual(['liveness']); // readiness waits its initial delay
  await step(1000);
  await step(1000);
  expect(manager.readiness('c1')).toBe('failure'); // one success of two
  await step(1000);
  expect(manager.readiness('c1')).toBe('success');
  expect(manager.liveness('c1')).toBe('failure'); // failure, success, failure, failure
  expect(changes.length).toBe(2);
  manager.removePod('p1');
  expect(manager.size).toBe(0);
});

test('a startup probe holds the others until it succeeds', async () => {
  const c: Container = { name: 'main', startupProbe: { exec: { command: ['s'] }, periodSeconds: 1, failureThreshold: 5 }, livenessProbe: { exec: { command: ['l'] }, periodSeconds: 1 } };
  const { manager, runs, step } = setup(c, { startup: ['failure', 'success'], liveness: [] });
  await step(0);
  await step(1000);
  expect(manager.startup('c1')).toBe('success');
  expect(runs.filter((r) => r === 'liveness')).toEqual([]);
  await step(1000);
  expect(runs.filter((r) => r === 'liveness').length).toBe(1);
  expect(runs.filter((r) => r === 'startup').length).toBe(2);
  manager.stop();
});
