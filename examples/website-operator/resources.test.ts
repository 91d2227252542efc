import type { Deployment } from '../../api/kinds/apps/deployment';
import type { Service } from '../../api/kinds/core/service';
import { cloneJson } from '../../controllers/runtime';
import { contentHash, contentHashAnnotation, mutateDeployment, mutateService, ownedMeta, type ContentSource } from './resources';
import { newWebSite } from './types';

const site = newWebSite('web', { content: 'hello', replicas: 2, port: 9090 }, 'ns');
const source: ContentSource = { configMapName: 'web-content', key: 'index.html', content: 'hello' };

describe('mutateDeployment', () => {
  it('fills a new Deployment: selector, replicas, the httpd container on the port, the content volume and hash', () => {
    const d: Deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: ownedMeta(site, 'web') };
    mutateDeployment(d, site, source, 'busybox:test');
    expect(d.spec?.replicas).toBe(2);
    expect(d.spec?.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'website', 'app.kubernetes.io/instance': 'web' } });
    expect(d.spec?.template.metadata?.annotations).toEqual({ [contentHashAnnotation]: contentHash('hello') });
    expect(d.spec?.template.spec?.containers).toEqual([
      expect.objectContaining({ name: 'httpd', image: 'busybox:test', imagePullPolicy: 'IfNotPresent', command: ['httpd', '-f', '-p', '9090', '-h', '/www'], ports: [{ name: 'http', containerPort: 9090, protocol: 'TCP' }] }),
    ]);
  });

  it('on a live Deployment, changes only what it manages: server defaults and other containers stay', () => {
    const d: Deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: ownedMeta(site, 'web') };
    mutateDeployment(d, site, source, 'busybox:test');
    // As stored: resourceVersion, server defaults, and a sidecar someone else added.
    const live = cloneJson(d);
    live.metadata!.resourceVersion = '7';
    live.spec!.progressDeadlineSeconds = 600;
    live.spec!.template.spec!.containers[0]!.terminationMessagePath = '/dev/termination-log';
    live.spec!.template.spec!.containers.push({ name: 'sidecar', image: 'other' });
    const before = cloneJson(live);
    mutateDeployment(live, site, source, 'busybox:test');
    expect(live).toEqual(before); // nothing to write

    mutateDeployment(live, { ...site, spec: { ...site.spec, replicas: 3 } }, { ...source, content: 'new' }, 'busybox:test');
    expect(live.spec?.replicas).toBe(3);
    expect(live.spec?.template.metadata?.annotations?.[contentHashAnnotation]).toBe(contentHash('new'));
    expect(live.spec?.progressDeadlineSeconds).toBe(600);
    expect(live.spec?.template.spec?.containers.map((c) => c.name)).toEqual(['httpd', 'sidecar']);
    expect(live.spec?.template.spec?.containers[0]?.terminationMessagePath).toBe('/dev/termination-log');
  });
});

describe('mutateService', () => {
  it('selects the pods and exposes the port, keeping fields it does not manage', () => {
    const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: ownedMeta(site, 'web'), spec: { clusterIP: '10.0.0.9', type: 'ClusterIP' } };
    mutateService(svc, site);
    expect(svc.spec).toEqual({
      clusterIP: '10.0.0.9',
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'website', 'app.kubernetes.io/instance': 'web' },
      ports: [{ name: 'http', port: 9090, targetPort: 9090, protocol: 'TCP' }],
    });
  });
});
