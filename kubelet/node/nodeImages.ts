/**
 * Node.status.images from the runtime's images, as the kubelet's Images setter writes them: one
 * entry per image (refs of the same image ID together), its names digest refs first
 * ("repo@sha256:...", when the runtime lists the image by one) then tags, at most 5 names, the
 * largest images first and at most 50 of them (nodeStatusMaxImages). sizeBytes is left out when
 * the runtime does not know the size (0: Kubernetes' omitempty writes it so). Ties are ordered by
 * name so that the same images always give the same list (the reporter writes on change only).
 */
import type { NodeStatus } from '../../api/kinds/core/nodeStatus';
import type { ImageInfo } from '../runtime/interface';

export type ContainerImage = NonNullable<NodeStatus['images']>[number];

/** The kubelet's nodeStatusMaxImages default. */
export const maxNodeImages = 50;
/** The kubelet's MaxNamesPerImageInNodeStatus. */
export const maxNamesPerImage = 5;

export function nodeImages(images: readonly ImageInfo[], max: number = maxNodeImages): ContainerImage[] {
  const byId = new Map<string, { names: Set<string>; size: number }>();
  for (const image of images) {
    const key = image.id || image.ref;
    const entry = byId.get(key) ?? { names: new Set<string>(), size: 0 };
    entry.names.add(image.ref);
    entry.size = Math.max(entry.size, Number.isFinite(image.size) ? image.size : 0);
    byId.set(key, entry);
  }
  const entries = [...byId.values()].map((e) => {
    const names = [...e.names].sort((a, b) => Number(b.includes('@')) - Number(a.includes('@')) || (a < b ? -1 : a > b ? 1 : 0)).slice(0, maxNamesPerImage);
    return { names, size: e.size };
  });
  entries.sort((a, b) => b.size - a.size || (a.names[0]! < b.names[0]! ? -1 : a.names[0]! > b.names[0]! ? 1 : 0));
  return entries.slice(0, max).map((e) => (e.size > 0 ? { names: e.names, sizeBytes: e.size } : { names: e.names }));
}
