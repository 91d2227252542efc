import { runtimeLabels } from './labels';
import { containerInfo } from './status';

const base = { [runtimeLabels.image]: 'img:1', [runtimeLabels.imageId]: 'sha256:x', 'pod-uid': 'u1', 'io.containerd.image.config.stop-signal': 'SIGTERM' };

test('a running task is running, with its pid; only the agent labels are reported', () => {
  const info = containerInfo({ id: 'c', labels: { ...base, [runtimeLabels.startedAt]: '2026-01-01T00:00:00.000Z' } }, { id: 'c', pid: 42, status: 'RUNNING' });
  expect(info).toEqual({ id: 'c', labels: { 'pod-uid': 'u1' }, image: 'img:1', imageID: 'sha256:x', state: 'running', startedAt: new Date('2026-01-01T00:00:00.000Z'), pid: 42 });
});

test('a settled container is exited with the code, reason and times of its labels', () => {
  const labels = { ...base, [runtimeLabels.startedAt]: '2026-01-01T00:00:00.000Z', [runtimeLabels.finishedAt]: '2026-01-01T00:00:05.000Z', [runtimeLabels.exitCode]: '137', [runtimeLabels.reason]: 'OOMKilled' };
  expect(containerInfo({ id: 'c', labels }, undefined)).toMatchObject({ state: 'exited', exitCode: 137, reason: 'OOMKilled', finishedAt: new Date('2026-01-01T00:00:05.000Z') });
});

test('a container without a task and without an exit is created; a CREATED task too', () => {
  expect(containerInfo({ id: 'c', labels: base }, undefined).state).toBe('created');
  expect(containerInfo({ id: 'c', labels: base }, { id: 'c', pid: 7, status: 'CREATED' })).toMatchObject({ state: 'created' });
  expect(containerInfo({ id: 'c', labels: base }, { id: 'c', pid: 7, status: 'UNKNOWN' }).state).toBe('unknown');
});
