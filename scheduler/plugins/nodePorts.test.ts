import { factory, fitsPorts, name } from './nodePorts';
import { filterOne, makeHandle, makeNode, makeNodeInfo, makePod, runFilter } from './testing';

const plugin = factory(undefined, makeHandle([]));
const REJECT = "Unschedulable: node(s) didn't have free ports for the requested pod ports";
const node = makeNode('n').obj();

/** A node whose pods use these host ports (port/protocol/hostIP). */
function nodeUsing(...ports: [number, string, string][]) {
  const pods = ports.map(([port, protocol, ip], i) => makePod(`used${i}`).hostPort(port, protocol, ip).obj());
  return makeNodeInfo(node, pods);
}

describe('NodePorts', () => {
  it('is named as in Kubernetes', () => expect(plugin.name).toBe(name));

  it('skips pods without host ports', () => {
    expect(runFilter(plugin, makePod('p').obj(), [nodeUsing([8080, 'TCP', ''])])).toEqual({ n: 'Success' });
  });

  it('accepts a free port', () => {
    expect(filterOne(plugin, makePod('p').hostPort(8080).obj(), nodeUsing([8081, 'TCP', '']))).toBe('Success');
  });

  it('rejects a port in use with the same protocol', () => {
    expect(filterOne(plugin, makePod('p').hostPort(8080).obj(), nodeUsing([8080, 'TCP', '']))).toBe(REJECT);
  });

  it('accepts the same port with another protocol', () => {
    expect(filterOne(plugin, makePod('p').hostPort(8080, 'UDP').obj(), nodeUsing([8080, 'TCP', '']))).toBe('Success');
  });

  it.each([
    ['same specific IP', '127.0.0.1', '127.0.0.1', REJECT],
    ['different specific IPs', '127.0.0.1', '127.0.0.2', 'Success'],
    ['wanted wildcard vs used specific', '', '127.0.0.1', REJECT],
    ['wanted specific vs used wildcard', '127.0.0.1', '', REJECT],
    ['explicit 0.0.0.0 vs specific', '0.0.0.0', '127.0.0.1', REJECT],
  ])('host IPs: %s', (_what, wantIP, usedIP, want) => {
    expect(filterOne(plugin, makePod('p').hostPort(8080, 'TCP', wantIP).obj(), nodeUsing([8080, 'TCP', usedIP]))).toBe(want);
  });

  it('checks every port the pod wants', () => {
    const pod = makePod('p').hostPort(1000).hostPort(2000).obj();
    expect(filterOne(plugin, pod, nodeUsing([2000, 'TCP', '']))).toBe(REJECT);
  });

  it('counts the ports of sidecars (restartPolicy Always init containers), not of other init containers', () => {
    const withInit = (restartPolicy?: 'Always') => {
      const p = makePod('p').obj();
      p.spec!.initContainers = [{ name: 'i', image: 'busybox', ...(restartPolicy ? { restartPolicy } : {}), ports: [{ containerPort: 53, hostPort: 53, protocol: 'UDP' }] }];
      return p;
    };
    const used = nodeUsing([53, 'UDP', '']);
    expect(filterOne(plugin, withInit('Always'), used)).toBe(REJECT);
    expect(filterOne(plugin, withInit(), used)).toBe('Success');
    // ...and on the node side, a sidecar's port is in use.
    expect(filterOne(plugin, makePod('q').hostPort(53, 'UDP').obj(), makeNodeInfo(node, [withInit('Always')]))).toBe(REJECT);
  });

  it('fitsPorts: non-positive ports never conflict', () => {
    expect(fitsPorts([{ port: 0, protocol: 'TCP', hostIP: '' }], [{ port: 0, protocol: 'TCP', hostIP: '0.0.0.0' }])).toBe(true);
  });
});
