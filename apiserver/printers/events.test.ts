import type { Event } from '../../api/kinds/core/event';
import { eventPrinter } from './events';
import { ago, columnNames, printRow } from './testing';

const metadata = { name: 'web.17c1a', namespace: 'default', creationTimestamp: ago(600) };

describe('event printer', () => {
  it('prints LAST SEEN TYPE REASON OBJECT MESSAGE and, wide, SUBOBJECT SOURCE FIRST SEEN COUNT NAME', () => {
    expect(columnNames(eventPrinter)).toEqual({
      normal: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
      wide: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME'],
    });
    const event: Event & { metadata: typeof metadata } = {
      metadata,
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', fieldPath: 'spec.containers{app}' },
      type: 'Warning',
      reason: 'BackOff',
      message: '  Back-off restarting failed container\n',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: ago(600),
      lastTimestamp: ago(30),
      count: 7,
    };
    expect(printRow(eventPrinter, event)).toEqual({
      'Last Seen': '30s',
      Type: 'Warning',
      Reason: 'BackOff',
      Object: 'pod/web',
      Subobject: 'spec.containers{app}',
      Source: 'kubelet, node-1',
      Message: 'Back-off restarting failed container',
      'First Seen': '10m',
      Count: 7,
      Name: 'web.17c1a',
    });
  });

  it('falls back on eventTime, series and the reporting controller', () => {
    const event: Event & { metadata: typeof metadata } = {
      metadata,
      involvedObject: { kind: 'Node' },
      eventTime: ago(300),
      series: { count: 4, lastObservedTime: ago(20) },
      reportingComponent: 'scheduler',
    };
    expect(printRow(eventPrinter, event)).toMatchObject({ 'Last Seen': '20s', 'First Seen': '5m', Count: 4, Object: 'node', Source: 'scheduler', Type: '', Message: '' });
    const single = { ...event, series: undefined, eventTime: undefined, reportingInstance: 'sched-1' };
    expect(printRow(eventPrinter, single)).toMatchObject({ 'Last Seen': '<unknown>', 'First Seen': '<unknown>', Count: 1, Source: 'scheduler, sched-1' });
  });
});
