import { factory, name } from './nodeResourcesBalancedAllocation';
import { makeHandle, makeNode, makePod, nodeInfos, scoreMap } from './testing';

const handle = makeHandle([]);
const plugin = factory(undefined, handle);

describe('NodeResourcesBalancedAllocation', () => {
  it('is named as in Kubernetes', () => expect(plugin.name).toBe(name));

  it('prefers the node where cpu and memory would be used evenly', () => {
    const infos = nodeInfos([makeNode('a').capacity({ cpu: '4', memory: 10000 }).obj(), makeNode('b').capacity({ cpu: '6', memory: 10000 }).obj()]);
    const pod = makePod('p').req({ cpu: '1', memory: 2000 }).req({ cpu: '2', memory: 3000 }).obj();
    // a: 0.75 vs 0.5 → std 0.125 → 87; b: 0.5 vs 0.5 → 100
    expect(scoreMap(plugin, pod, infos)).toEqual({ a: 87, b: 100 });
  });

  it('counts what the node already runs (plain requests, no 100m/200Mi defaults)', () => {
    const infos = nodeInfos([makeNode('a').capacity({ cpu: '10', memory: 20000 }).obj()], [
      makePod('x').node('a').req({ cpu: '2', memory: 0 }).obj(),
      makePod('y').node('a').req({}).obj(), // no requests: adds nothing
    ]);
    // cpu (2000+3000)/10000 = 0.5, memory 5000/20000 = 0.25 → std 0.125 → 87
    expect(scoreMap(plugin, makePod('p').req({ cpu: '3', memory: 5000 }).obj(), infos)).toEqual({ a: 87 });
  });

  it('caps each fraction at 1', () => {
    const infos = nodeInfos([makeNode('a').capacity({ cpu: '1', memory: 10000 }).obj()]);
    // cpu 3/1 → 1, memory 0.5 → std 0.25 → 75
    expect(scoreMap(plugin, makePod('p').req({ cpu: '3', memory: 5000 }).obj(), infos)).toEqual({ a: 75 });
  });

  it('uses the standard deviation over more than two resources', () => {
    const three = factory({ resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: 'nvidia.com/gpu', weight: 1 }] }, handle);
    const infos = nodeInfos([makeNode('a').capacity({ cpu: '4', memory: 10000, 'nvidia.com/gpu': 4 }).obj()]);
    // fractions 0.5, 0.5, 1 → mean 2/3 → std sqrt((1/36+1/36+4/36)/3) = 0.2357 → 76
    expect(scoreMap(three, makePod('p').req({ cpu: '2', memory: 5000, 'nvidia.com/gpu': 4 }).obj(), infos)).toEqual({ a: 76 });
    // A pod without a gpu request: the gpu is left out.
    expect(scoreMap(three, makePod('q').req({ cpu: '2', memory: 5000 }).obj(), infos)).toEqual({ a: 100 });
  });

  it('skips best-effort pods (every node scores 0)', () => {
    const infos = nodeInfos([makeNode('a').capacity({ cpu: '4', memory: 10000 }).obj(), makeNode('b').capacity({ cpu: '1', memory: 10 }).obj()]);
    expect(scoreMap(plugin, makePod('p').req({}).obj(), infos)).toEqual({ a: 0, b: 0 });
  });

  it('rejects malformed args', () => {
    expect(() => factory({ resources: [{ name: 'cpu', weight: 101 }] }, handle)).toThrow(/weight: must be in the range \[1, 100\]/);
  });
});
