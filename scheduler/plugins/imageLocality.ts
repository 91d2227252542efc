/**
 * ImageLocality (Kubernetes' imagelocality plugin): favours nodes that already have the pod's
 * container images. Each image present counts its size scaled by the fraction of nodes that have
 * it (so images everywhere do not dominate); the sum is clamped between 23 MiB and 1000 MiB per
 * container and mapped linearly to 0..100.
 */
import type { Pod } from '../../api/kinds/core/pod';
import {
  MAX_NODE_SCORE,
  success,
  type ClusterEvent,
  type CycleState,
  type EnqueueExtensions,
  type Handle,
  type NodeInfo,
  type PluginFactory,
  type PreScorePlugin,
  type ScorePlugin,
  type Status,
} from '../framework/interfaces';

export const name = 'ImageLocality';

const MB = 1024 * 1024;
/** Below this sum a node scores 0 (about the size of a small base image). */
export const MIN_THRESHOLD = 23 * MB;
/** Per container: at or above this sum (× containers) a node scores 100. */
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

const preScoreStateKey = 'PreScore' + name;
const events: readonly ClusterEvent[] = Object.freeze([] as ClusterEvent[]);

/** normalizedImageName: an image without a tag gets ":latest" (a digest or a tag is kept). */
export function normalizedImageName(image: string): string {
  return image.lastIndexOf(':') <= image.lastIndexOf('/') ? `${image}:latest` : image;
}

/** calculatePriority: the summed score clamped to [min, max × containers], mapped to 0..100. */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  if (sumScores < MIN_THRESHOLD) sumScores = MIN_THRESHOLD;
  else if (sumScores > maxThreshold) sumScores = maxThreshold;
  return Math.trunc((MAX_NODE_SCORE * (sumScores - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

interface PreScoreState {
  /** The normalised image of each init container and container, in order (repeats kept, as Kubernetes). */
  readonly images: readonly string[];
  /** Per entry of `images`: the fraction of the cluster's nodes that have it. */
  readonly spreads: readonly number[];
}

function podImages(pod: Pod): string[] {
  const out: string[] = [];
  for (const c of pod.spec?.initContainers ?? []) out.push(normalizedImageName(c.image ?? ''));
  for (const c of pod.spec?.containers ?? []) out.push(normalizedImageName(c.image ?? ''));
  return out;
}

/**
 * How many nodes have each image (ImageStateSummary.NumNodes), remembered across cycles: a node's
 * imageSizes map is replaced (never mutated) when its images change, so while every node still
 * has the same map object the counts hold, and a cycle costs one reference check per node instead
 * of one lookup per node and image.
 */
class ImageNodeCounts {
  private maps: ReadonlyMap<string, number>[] = [];
  private readonly counts = new Map<string, number>();

  /** The counts for `all` (the snapshot's nodes); forgets everything when a node's images changed. */
  refresh(all: readonly NodeInfo[]): this {
    let same = this.maps.length === all.length;
    for (let i = 0; same && i < all.length; i++) same = this.maps[i] === all[i]!.imageSizes;
    if (!same) {
      this.maps = all.map((ni) => ni.imageSizes);
      this.counts.clear();
    }
    return this;
  }

  count(image: string): number {
    let n = this.counts.get(image);
    if (n === undefined) {
      n = 0;
      for (const m of this.maps) if (m.size > 0 && m.has(image)) n++;
      this.counts.set(image, n);
    }
    return n;
  }
}

export class ImageLocality implements PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = name;
  private readonly imageCounts = new ImageNodeCounts();

  constructor(private readonly handle: Handle) {}

  private computeState(pod: Pod): PreScoreState {
    const images = podImages(pod);
    const all = this.handle.snapshot().list();
    const counts = this.imageCounts.refresh(all);
    return { images, spreads: images.map((img) => counts.count(img) / all.length) };
  }

  preScore(state: CycleState, pod: Pod): Status {
    state.write(preScoreStateKey, this.computeState(pod));
    return success;
  }

  score(state: CycleState, pod: Pod, node: NodeInfo): number {
    const s = state.read<PreScoreState>(preScoreStateKey) ?? this.computeState(pod);
    let sum = 0;
    if (node.imageSizes.size > 0) {
      for (let i = 0; i < s.images.length; i++) {
        const size = node.imageSizes.get(s.images[i]!);
        // scaledImageScore: size × spread (the fraction of nodes with the image).
        if (size !== undefined) sum += Math.trunc(size * s.spreads[i]!);
      }
    }
    return calculatePriority(sum, s.images.length);
  }

  events(): readonly ClusterEvent[] {
    return events;
  }
}

export const factory: PluginFactory = (_args, handle) => new ImageLocality(handle);
