import type { Pod } from '../../api/kinds/core/pod';
import { computePodRequests, DEFAULT_MEMORY_REQUEST, quantityMilliValue, quantityValue } from './resources';

describe('quantities', () => {
  it('parse to integers, rounded up as resource.Quantity does', () => {
    expect(quantityMilliValue('100m')).toBe(100);
    expect(quantityMilliValue('1.5')).toBe(1500);
    expect(quantityMilliValue(2)).toBe(2000);
    expect(quantityValue('1Ki')).toBe(1024);
    expect(quantityValue('1.5')).toBe(2);
    expect(quantityValue('1M')).toBe(1_000_000);
    expect(quantityValue('bogus')).toBe(0);
  });
});

describe('computePodRequests', () => {
  it('takes the max of the largest init container and the containers, plus sidecars and overhead', () => {
    const pod = {
      metadata: { name: 'p' },
      spec: {
        overhead: { cpu: '100m' },
        initContainers: [
          { name: 'init', image: 'x', resources: { requests: { cpu: '2', memory: '1Gi' } } },
          { name: 'sidecar', image: 'x', restartPolicy: 'Always', resources: { requests: { cpu: '200m' } } },
          { name: 'init2', image: 'x', resources: { requests: { cpu: '500m', 'nvidia.com/gpu': '1' } } },
        ],
        containers: [
          { name: 'a', image: 'x', resources: { requests: { cpu: '300m', memory: '100Mi' } } },
          { name: 'b', image: 'x', resources: { requests: { cpu: '400m', memory: '100Mi' } } },
        ],
      },
    } as Pod;
    const r = computePodRequests(pod);
    // containers 700m + sidecar 200m = 900m < init 2 cpu → 2 cpu; + overhead 100m.
    expect(r.milliCPU).toBe(2100);
    expect(r.memory).toBe(1024 ** 3);
    expect(r.scalar).toEqual({ 'nvidia.com/gpu': 1 });
    expect(r.pods).toBe(1);
  });

  it('counts requests-less containers as 100m / 200Mi only for scoring', () => {
    const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x', resources: { requests: { cpu: '0' } } }] } } as Pod;
    expect(computePodRequests(pod)).toMatchObject({ milliCPU: 0, memory: 0 });
    expect(computePodRequests(pod, true)).toMatchObject({ milliCPU: 100, memory: 2 * DEFAULT_MEMORY_REQUEST });
  });
});
