/**
 * ImageLocality (Kubernetes' imagelocality plugin): favours nodes that already have the pod's
 * container images. Each image present counts its size scaled by the fraction of nodes that have
 * it (so images everywhere do not dominate); the sum is clamped between 23 MiB and 1000 MiB per
 * container and mapped linearly to 0..100. When no node has any of the pod's images every node
 * would score 0: PreScore returns Skip and the per-node scoring is saved.
 */
import type { Pod } from '../../api/kinds/core/pod';
import {
  MAX_NODE_SCORE,
  skip,
  success,
  type ClusterEvent,
  type CycleState,
  type EnqueueExtensions,
  type Handle,
  type NodeInfo,
  type PluginFactory,
  type PreScorePlugin,
  type ScorePlugin,
  type Snapshot,
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
 * How many nodes have each image (ImageStateSummary.NumNodes), remembered across cycles while the
 * snapshot's images version stays: a cycle then costs nothing per node here (checking every node
 * instead touched thousands of NodeInfos, mostly cache misses, for every pod).
 */
class ImageNodeCounts {
  private version: number | undefined;
  private maps: ReadonlyMap<string, number>[] = [];
  private readonly counts = new Map<string, number>();

  /** The counts for the snapshot's nodes; forgets everything when its images version changed. */
  refresh(snapshot: Snapshot): this {
    const version = snapshot.imagesVersion();
    if (version !== this.version) {
      this.version = version;
      this.maps = snapshot.list().map((ni) => ni.imageSizes);
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
    const snapshot = this.handle.snapshot();
    const counts = this.imageCounts.refresh(snapshot);
    const total = snapshot.list().length;
    return { images, spreads: images.map((img) => counts.count(img) / total) };
  }

  preScore(state: CycleState, pod: Pod): Status {
    const s = this.computeState(pod);
    if (s.spreads.every((spread) => spread === 0)) return skip();
    state.write(preScoreStateKey, s);
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
