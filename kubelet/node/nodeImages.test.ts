import { nodeImages } from './nodeImages';

test('largest first, tags of one image together with digest refs first, unknown sizes left out', () => {
  const images = nodeImages([
    { ref: 'small:1', id: 'sha256:s', size: 10 },
    { ref: 'big:latest', id: 'sha256:b', size: 1000 },
    { ref: 'big:1.0', id: 'sha256:b', size: 1000 },
    { ref: 'big@sha256:abc', id: 'sha256:b', size: 1000 },
    { ref: 'unknown:1', id: 'sha256:u', size: 0 },
  ]);
  expect(images).toEqual([
    { names: ['big@sha256:abc', 'big:1.0', 'big:latest'], sizeBytes: 1000 },
    { names: ['small:1'], sizeBytes: 10 },
    { names: ['unknown:1'] },
  ]);
});

test('at most 50 images (the largest) and 5 names each; the order does not depend on the listing order', () => {
  const many = Array.from({ length: 60 }, (_, i) => ({ ref: `img${i}:1`, id: `sha256:${i}`, size: 100 + i }));
  const images = nodeImages(many);
  expect(images).toHaveLength(50);
  expect(images[0]).toEqual({ names: ['img59:1'], sizeBytes: 159 });
  expect(images[49]).toEqual({ names: ['img10:1'], sizeBytes: 110 });
  expect(nodeImages([...many].reverse())).toEqual(images);
  const tags = Array.from({ length: 7 }, (_, i) => ({ ref: `r:${i}`, id: 'sha256:same', size: 1 }));
  expect(nodeImages(tags)[0]!.names).toEqual(['r:0', 'r:1', 'r:2', 'r:3', 'r:4']);
  expect(nodeImages([{ ref: 'a:1', id: 'x', size: 1 }, { ref: 'b:1', id: 'y', size: 1 }])).toEqual(nodeImages([{ ref: 'b:1', id: 'y', size: 1 }, { ref: 'a:1', id: 'x', size: 1 }]));
});
