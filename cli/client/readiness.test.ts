import { readiness } from './readiness';

const deployment = (spec: Record<string, unknown>, status: Record<string, unknown>, generation = 1) => ({ kind: 'Deployment', metadata: { name: 'web', generation }, spec, status: { observedGeneration: 1, ...status } });

describe('readiness, with kubectl rollout status\'s messages', () => {
  it('follows a Deployment\'s rollout', () => {
    expect(readiness(deployment({ replicas: 2 }, {}, 2))).toEqual({ ready: false, message: 'Waiting for deployment spec update to be observed...' });
    expect(readiness(deployment({ replicas: 2 }, { updatedReplicas: 1 })).message).toBe('Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...');
    expect(readiness(deployment({ replicas: 2 }, { updatedReplicas: 2, replicas: 3 })).message).toBe('Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...');
    expect(readiness(deployment({ replicas: 2 }, { updatedReplicas: 2, replicas: 2, availableReplicas: 1 })).message).toBe('Waiting for deployment "web" rollout to finish: 1 of 2 updated replicas are available...');
    expect(readiness(deployment({ replicas: 2 }, { updatedReplicas: 2, replicas: 2, availableReplicas: 2 }))).toEqual({ ready: true, message: 'deployment "web" successfully rolled out' });
    expect(readiness(deployment({ replicas: 2 }, { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }))).toMatchObject({ ready: false, failed: true });
  });

  it('says a Job is complete, or failed for good', () => {
    const job = (conditions: unknown[]) => ({ kind: 'Job', metadata: { name: 'j' }, spec: { completions: 1 }, status: { conditions } });
    expect(readiness(job([{ type: 'Complete', status: 'True' }]))).toEqual({ ready: true, message: 'job "j" completed' });
    expect(readiness(job([{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }]))).toEqual({
      ready: false,
      failed: true,
      message: 'job "j" failed: BackoffLimitExceeded: Job has reached the specified backoff limit',
    });
    expect(readiness(job([])).ready).toBe(false);
  });

  it('counts other kinds ready once they exist', () => {
    expect(readiness({ kind: 'ConfigMap', metadata: { name: 'c' } })).toEqual({ ready: true, message: 'configmap "c" exists' });
  });
});
