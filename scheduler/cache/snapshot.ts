/**
 * The snapshot a scheduling cycle works on. The cache refreshes it before each cycle, copying only
 * the NodeInfos whose generation is newer than the snapshot's (Cache.updateSnapshot); between two
 * refreshes it does not change, so a cycle sees one consistent cluster.
 *
 * Invariant: list(), havePodsWithAffinity() and havePodsWithRequiredAntiAffinity() hold the very
 * objects of the map (refreshes update them in place), so they never go stale.
 */
import { nextImagesVersion, type Snapshot } from '../framework/interfaces';
import type { NodeInfoImpl } from '../framework/nodeInfo';

export class SnapshotImpl implements Snapshot {
  readonly nodeInfoMap = new Map<string, NodeInfoImpl>();
  nodeInfoList: NodeInfoImpl[] = [];
  withAffinity: NodeInfoImpl[] = [];
  withRequiredAntiAffinity: NodeInfoImpl[] = [];
  /** The newest cache generation this snapshot includes. */
  generation = 0;
  /** See Snapshot.imagesVersion; the cache takes a new one when nodes or their images change. */
  images = nextImagesVersion();

  /** A snapshot of fixed NodeInfos (tests, or what-if evaluations). */
  static of(infos: readonly NodeInfoImpl[]): SnapshotImpl {
    const s = new SnapshotImpl();
    for (const ni of infos) s.nodeInfoMap.set(ni.name, ni);
    s.nodeInfoList = infos.slice();
    s.rebuildAffinityLists();
    return s;
  }

  list(): readonly NodeInfoImpl[] {
    return this.nodeInfoList;
  }

  get(name: string): NodeInfoImpl | undefined {
    return this.nodeInfoMap.get(name);
  }

  havePodsWithAffinity(): readonly NodeInfoImpl[] {
    return this.withAffinity;
  }

  havePodsWithRequiredAntiAffinity(): readonly NodeInfoImpl[] {
    return this.withRequiredAntiAffinity;
  }

  imagesVersion(): number {
    return this.images;
  }

  get numNodes(): number {
    return this.nodeInfoList.length;
  }

  rebuildAffinityLists(): void {
    this.withAffinity = this.nodeInfoList.filter((n) => n.podsWithAffinity.length > 0);
    this.withRequiredAntiAffinity = this.nodeInfoList.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
  }
}
