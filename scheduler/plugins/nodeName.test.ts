import { factory, name } from './nodeName';
import { filterOne, makeHandle, makeNode, makeNodeInfo, makePod } from './testing';

const plugin = factory(undefined, makeHandle([]));

describe('NodeName', () => {
  it('is named as in Kubernetes', () => expect(plugin.name).toBe(name));

  it('accepts every node for a pod without spec.nodeName', () => {
    expect(filterOne(plugin, makePod('p').obj(), makeNodeInfo(makeNode('a').obj()))).toBe('Success');
  });

  it('accepts the node the pod names', () => {
    expect(filterOne(plugin, makePod('p').node('a').obj(), makeNodeInfo(makeNode('a').obj()))).toBe('Success');
  });

  it('rejects other nodes as unresolvable', () => {
    expect(filterOne(plugin, makePod('p').node('a').obj(), makeNodeInfo(makeNode('b').obj()))).toBe(
      "UnschedulableAndUnresolvable: node(s) didn't match the requested node name",
    );
  });
});
