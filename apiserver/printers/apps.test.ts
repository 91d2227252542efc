import type { ControllerRevision } from '../../api/kinds/apps/controllerRevision';
import type { DaemonSet } from '../../api/kinds/apps/daemonSet';
import type { Deployment } from '../../api/kinds/apps/deployment';
import type { ReplicaSet } from '../../api/kinds/apps/replicaSet';
import type { StatefulSet } from '../../api/kinds/apps/statefulSet';
import { controllerRevisionPrinter, daemonSetPrinter, deploymentPrinter, replicaSetPrinter, statefulSetPrinter } from './apps';
import { ago, columnNames, printRow } from './testing';

const metadata = { name: 'web', namespace: 'default', creationTimestamp: ago(3 * 3600 + 12 * 60) };
const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }], nodeSelector: { disk: 'ssd', zone: 'a' } },
};
const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'edge'] }, { key: 'canary', operator: 'DoesNotExist' }] };

describe('deployment printer', () => {
  it('prints READY UP-TO-DATE AVAILABLE AGE and, wide, CONTAINERS IMAGES SELECTOR', () => {
    const d: Deployment & { metadata: typeof metadata } = {
      metadata,
      spec: { replicas: 3, selector, template },
      status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    expect(columnNames(deploymentPrinter)).toEqual({
      normal: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
      wide: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'],
    });
    expect(printRow(deploymentPrinter, d)).toEqual({
      Name: 'web',
      Ready: '2/3',
      'Up-to-date': 3,
      Available: 2,
      Age: '3h12m',
      Containers: 'nginx,log',
      Images: 'nginx:1.27,busybox',
      Selector: 'app=web,!canary,tier in (edge,front)',
    });
  });

  it('prints zeros for a deployment without status', () => {
    expect(printRow(deploymentPrinter, { metadata, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template } })).toMatchObject({ Ready: '0/1', 'Up-to-date': 0, Available: 0, Selector: 'app=web' });
  });
});

describe('replicaset printer', () => {
  it('prints DESIRED CURRENT READY AGE and the selector, <none> when empty', () => {
    const rs: ReplicaSet & { metadata: typeof metadata } = { metadata, spec: { replicas: 2, selector: {}, template }, status: { replicas: 2, readyReplicas: 1 } };
    expect(columnNames(replicaSetPrinter).normal).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    expect(printRow(replicaSetPrinter, rs)).toEqual({ Name: 'web', Desired: 2, Current: 2, Ready: 1, Age: '3h12m', Containers: 'nginx,log', Images: 'nginx:1.27,busybox', Selector: '<none>' });
  });
});

describe('statefulset printer', () => {
  it('prints READY as ready/desired', () => {
    const sts: StatefulSet & { metadata: typeof metadata } = { metadata, spec: { replicas: 3, selector, serviceName: 'web', template }, status: { replicas: 3, readyReplicas: 3 } };
    expect(columnNames(statefulSetPrinter)).toEqual({ normal: ['NAME', 'READY', 'AGE'], wide: ['NAME', 'READY', 'AGE', 'CONTAINERS', 'IMAGES'] });
    expect(printRow(statefulSetPrinter, sts)).toEqual({ Name: 'web', Ready: '3/3', Age: '3h12m', Containers: 'nginx,log', Images: 'nginx:1.27,busybox' });
  });
});

describe('daemonset printer', () => {
  it('prints the scheduling counts and the node selector', () => {
    const ds: DaemonSet & { metadata: typeof metadata } = {
      metadata,
      spec: { selector: { matchLabels: { app: 'web' } }, template },
      status: { desiredNumberScheduled: 4, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2, numberMisscheduled: 0 },
    };
    expect(columnNames(daemonSetPrinter).normal).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE']);
    expect(printRow(daemonSetPrinter, ds)).toMatchObject({ Desired: 4, Current: 3, Ready: 2, 'Up-to-date': 3, Available: 2, 'Node Selector': 'disk=ssd,zone=a', Selector: 'app=web' });
    expect(printRow(daemonSetPrinter, { ...ds, spec: { ...ds.spec!, template: { spec: { containers: [] } } }, status: undefined })).toMatchObject({ Desired: 0, 'Node Selector': '<none>', Containers: '' });
  });
});

describe('controllerrevision printer', () => {
  it('names the controller by lower-case group kind', () => {
    const owner = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true };
    const cr: ControllerRevision & { metadata: typeof metadata } = { metadata: { ...metadata, name: 'web-6d4cf56db6', ownerReferences: [owner] }, revision: 2 };
    expect(columnNames(controllerRevisionPrinter).normal).toEqual(['NAME', 'CONTROLLER', 'REVISION', 'AGE']);
    expect(printRow(controllerRevisionPrinter, cr)).toEqual({ Name: 'web-6d4cf56db6', Controller: 'statefulset.apps/web', Revision: 2, Age: '3h12m' });
    const core = { ...cr, metadata: { ...cr.metadata, ownerReferences: [{ ...owner, apiVersion: 'v1', kind: 'Pod' }] } };
    expect(printRow(controllerRevisionPrinter, core).Controller).toBe('pod/web');
    expect(printRow(controllerRevisionPrinter, { ...cr, metadata }).Controller).toBe('<none>');
  });
});
