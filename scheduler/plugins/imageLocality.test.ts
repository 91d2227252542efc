import { calculatePriority, factory, MAX_CONTAINER_THRESHOLD, MIN_THRESHOLD, name, normalizedImageName } from './imageLocality';
import type { Pod } from '../../api/kinds/core/pod';
import { isPreScorePlugin, type NodeInfo } from '../framework/interfaces';
import { makeCycleState, makeHandle, makeNode, makePod, makeSnapshot, nodeInfos, scoreMap } from './testing';

const MB = 1024 * 1024;

describe('ImageLocality', () => {
  it('is named as in Kubernetes', () => expect(factory(undefined, makeHandle([])).name).toBe(name));

  it('normalizes image names with :latest unless tagged or digested', () => {
    expect(normalizedImageName('nginx')).toBe('nginx:latest');
    expect(normalizedImageName('nginx:1.25')).toBe('nginx:1.25');
    expect(normalizedImageName('registry:5000/team/app')).toBe('registry:5000/team/app:latest');
    expect(normalizedImageName('app@sha256:abc')).toBe('app@sha256:abc');
  });

  it('calculatePriority clamps to [23MB, 1000MB × containers] and maps linearly to 0..100', () => {
    expect(calculatePriority(0, 1)).toBe(0);
    expect(calculatePriority(MIN_THRESHOLD, 1)).toBe(0);
    expect(calculatePriority(MAX_CONTAINER_THRESHOLD, 1)).toBe(100);
    expect(calculatePriority(5 * MAX_CONTAINER_THRESHOLD, 1)).toBe(100);
    expect(calculatePriority(MAX_CONTAINER_THRESHOLD, 2)).toBe(Math.trunc((100 * (1000 - 23)) / (2000 - 23)));
  });

  it('scores nodes by the size of the images they have, scaled by how many nodes have them', () => {
    const nodes = [
      makeNode('a').images([{ names: ['gcr.io/40:latest', 'gcr.io/40:v1'], sizeBytes: 40 * MB }, { names: ['gcr.io/300:latest'], sizeBytes: 300 * MB }]).obj(),
      makeNode('b').images([{ names: ['gcr.io/250:latest'], sizeBytes: 250 * MB }, { names: ['gcr.io/10:v1'], sizeBytes: 10 * MB }]).obj(),
    ];
    const infos = nodeInfos(nodes);
    const handle = makeHandle(infos);
    const plugin = factory(undefined, handle);
    // Kubernetes' "two images spread on two nodes, prefer the larger image one":
    // a: 40 MB × 1/2 = 20 MB < 23 MB → 0; b: 250 MB × 1/2 = 125 MB → 100 × (125 − 23) / (2000 − 23) = 5
    const pod = makePod('p').container('gcr.io/40').container('gcr.io/250').obj();
    expect(scoreMap(plugin, pod, infos)).toEqual({
      a: 0,
      b: Math.trunc((100 * (Math.trunc(250 * MB * 0.5) - MIN_THRESHOLD)) / (2 * MAX_CONTAINER_THRESHOLD - MIN_THRESHOLD)),
    });
    expect(scoreMap(plugin, pod, infos).b).toBe(5);
  });

  it('counts init containers and the tag the pod names', () => {
    const nodes = [makeNode('a').images([{ names: ['big:v1'], sizeBytes: 2000 * MB }]).obj(), makeNode('b').obj()];
    const infos = nodeInfos(nodes);
    const plugin = factory(undefined, makeHandle(infos));
    // big:v1 on 1 of 2 nodes → 1000 MB, two containers (init + regular): (1000 − 23) / (2000 − 23)
    expect(scoreMap(plugin, makePod('p').initContainer('big:v1').container('small').obj(), infos)).toEqual({ a: 49, b: 0 });
    // Another tag of the image does not count.
    expect(scoreMap(plugin, makePod('q').container('big:v2').obj(), infos)).toEqual({ a: 0, b: 0 });
  });

  it('skips scoring when no node has any of the pod\'s images (each would score 0)', () => {
    const infos = nodeInfos([makeNode('a').images([{ names: ['big:v1'], sizeBytes: 2000 * MB }]).obj(), makeNode('b').obj()]);
    const plugin = factory(undefined, makeHandle(infos));
    const preScore = (pod: Pod) => (isPreScorePlugin(plugin) ? plugin.preScore(makeCycleState(), pod, infos).code : 'none');
    expect(preScore(makePod('p').container('small').container('other:v2').obj())).toBe('Skip');
    expect(preScore(makePod('q').container('small').container('big:v1').obj())).toBe('Success');
  });

  it('gives the full score when every node has a large image', () => {
    const nodes = ['a', 'b'].map((n) => makeNode(n).images([{ names: ['huge:latest'], sizeBytes: 3000 * MB }]).obj());
    const infos = nodeInfos(nodes);
    expect(scoreMap(factory(undefined, makeHandle(infos)), makePod('p').container('huge').obj(), infos)).toEqual({ a: 100, b: 100 });
  });

  it('notices nodes gaining an image or joining between cycles', () => {
    const withImage = () => makeNode('a').images([{ names: ['big:latest'], sizeBytes: 2000 * MB }]).obj();
    let infos: NodeInfo[] = nodeInfos([withImage(), makeNode('b').obj()]);
    const plugin = factory(undefined, { snapshot: () => makeSnapshot(infos) });
    const pod = makePod('p').container('big').obj();
    // 1 of 2 nodes: 1000 MB → 100
    expect(scoreMap(plugin, pod, infos)).toEqual({ a: 100, b: 0 });
    // A third node without the image: 2000 × 1/3 = 666 MB → (666 − 23) / (1000 − 23)
    infos = nodeInfos([withImage(), makeNode('b').obj(), makeNode('c').obj()]);
    expect(scoreMap(plugin, pod, infos).a).toBe(65);
    // b pulls the image: 2000 × 2/3 → 100 on a and b.
    infos = nodeInfos([withImage(), makeNode('b').images([{ names: ['big:latest'], sizeBytes: 2000 * MB }]).obj(), makeNode('c').obj()]);
    expect(scoreMap(plugin, pod, infos)).toEqual({ a: 100, b: 100, c: 0 });
  });
});
