import type { Pod } from '../../api/kinds/core/pod';
import { isPodActive, isPodAvailable, maxContainerRestarts, podFromTemplate, podNamePrefix } from './pods';

const now = Date.parse('2025-01-01T12:00:00Z');

describe('pod helpers', () => {
  it('builds a pod from a template: labels, annotations, finalizers, spec, generated name, controller reference', () => {
    const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u', controller: true, blockOwnerDeletion: true };
    const template = { metadata: { labels: { app: 'web' }, annotations: { a: 'b' }, finalizers: ['f'], name: 'ignored' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const pod = podFromTemplate(template, 'ns', 'web', ref);
    expect(pod).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { generateName: 'web-', namespace: 'ns', labels: { app: 'web' }, annotations: { a: 'b' }, finalizers: ['f'], ownerReferences: [ref] },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    pod.metadata!.labels!['x'] = 'y';
    expect(template.metadata.labels).toEqual({ app: 'web' });
  });

  it('keeps generated names within the limit', () => {
    expect(podNamePrefix('web')).toBe('web-');
    expect(podNamePrefix('a'.repeat(248))).toBe('a'.repeat(248));
  });

  it('tells active, ready for long enough, and restarts', () => {
    const ready = (secondsAgo: number): Pod => ({ status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(now - secondsAgo * 1000).toISOString() }] } });
    expect(isPodAvailable(ready(5), 0, now)).toBe(true);
    expect(isPodAvailable(ready(5), 10, now)).toBe(false);
    expect(isPodAvailable(ready(11), 10, now)).toBe(true);
    expect(isPodActive({ status: { phase: 'Succeeded' } })).toBe(false);
    expect(isPodActive({ metadata: { deletionTimestamp: '2025-01-01T00:00:00Z' } })).toBe(false);
    expect(isPodActive({ status: { phase: 'Running' } })).toBe(true);
    const pod: Pod = {
      spec: { containers: [{ name: 'a' }], initContainers: [{ name: 'sidecar', restartPolicy: 'Always' }, { name: 'init' }] },
      status: {
        containerStatuses: [{ name: 'a', restartCount: 2, ready: true, image: '', imageID: '' }],
        initContainerStatuses: [
          { name: 'sidecar', restartCount: 7, ready: true, image: '', imageID: '' },
          { name: 'init', restartCount: 9, ready: true, image: '', imageID: '' },
        ],
      },
    };
    expect(maxContainerRestarts(pod)).toBe(7);
  });
});
