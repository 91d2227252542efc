import { compareQuantities, isExtendedResourceName, isOvercommitAllowed, isWholeQuantity, quantityNanos } from './resources';

describe('resource.Quantity arithmetic', () => {
  it.each([
    ['1', '1000m'],
    ['0.5', '500m'],
    ['1Gi', '1024Mi'],
    ['1e3', '1k'],
    ['12e-3', '12m'],
    ['.5', '0.5'],
    [2, '2'],
    [0.25, '250m'],
  ])('%j equals %j', (a, b) => {
    expect(compareQuantities(a, b)).toBe(0);
  });

  it('orders quantities exactly', () => {
    expect(compareQuantities('1Mi', '1M')).toBe(1);
    expect(compareQuantities('999m', '1')).toBe(-1);
    expect(compareQuantities('-1', '0')).toBe(-1);
    expect(quantityNanos('1n')).toBe(1n);
    expect(quantityNanos('1Ei')).toBe(2n ** 60n * 1_000_000_000n);
  });

  it('rounds values finer than nano up and rejects non-quantities', () => {
    expect(quantityNanos('0.0000000001')).toBe(1n);
    expect(quantityNanos('abc')).toBeUndefined();
    expect(quantityNanos('1Gb')).toBeUndefined();
  });

  it('answers the same for a text asked again, before and after its memory of parsed texts fills up', () => {
    const texts = ['128Mi', ' 128Mi ', 'abc', '1.5', '2e3'];
    const first = texts.map((t) => quantityNanos(t));
    expect(first).toEqual([128n * 2n ** 20n * 1_000_000_000n, 128n * 2n ** 20n * 1_000_000_000n, undefined, 1_500_000_000n, 2_000_000_000_000n]);
    for (let i = 0; i < 5_000; i++) expect(quantityNanos(`${i}m`)).toBe(BigInt(i) * 1_000_000n);
    expect(texts.map((t) => quantityNanos(t))).toEqual(first);
  });

  it('knows whole quantities and resource kinds', () => {
    expect(isWholeQuantity('2')).toBe(true);
    expect(isWholeQuantity('1500m')).toBe(false);
    expect(isExtendedResourceName('nvidia.com/gpu')).toBe(true);
    expect(isExtendedResourceName('kubernetes.io/foo')).toBe(false);
    expect(isOvercommitAllowed('cpu')).toBe(true);
    expect(isOvercommitAllowed('hugepages-2Mi')).toBe(false);
    expect(isOvercommitAllowed('nvidia.com/gpu')).toBe(false);
  });
});
