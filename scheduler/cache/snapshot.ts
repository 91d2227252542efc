/**
 * The snapshot a scheduling cycle works on. The cache refreshes it before each cycle, copying only
 * the NodeInfos whose generation is newer than the snapshot's (Cache.updateSnapshot); between two
 * refreshes it does not change, so a cycle sees one consistent cluster.
 *
 * Invariant: list(), havePodsWithAffinity() and havePodsWithRequiredAntiAffinity() hold the very
 * objects of the map (refreshes update them in place), so they never go stale. The NodeInfos added
 * with add() keep their resource rows side by side in one array (RowTable).
 */
import { nextImagesVersion, type Snapshot } from '../framework/interfaces';
import type { NodeInfoImpl } from '../framework/nodeInfo';
import { RowTable } from '../framework/resourceRow';

export class SnapshotImpl implements Snapshot {
  readonly nodeInfoMap = new Map<string, NodeInfoImpl>();
  nodeInfoList: NodeInfoImpl[] = [];
  withAffinity: NodeInfoImpl[] = [];
  withRequiredAntiAffinity: NodeInfoImpl[] = [];
  /** The newest cache generation this snapshot includes. */
  generation = 0;
  /** See Snapshot.imagesVersion; the cache takes a new one when nodes or their images change. */
  images = nextImagesVersion();
  private readonly rows = new RowTable();

  /** A snapshot of fixed NodeInfos (tests, or what-if evaluations). */
  static of(infos: readonly NodeInfoImpl[]): SnapshotImpl {
    const s = new SnapshotImpl();
    for (const ni of infos) s.nodeInfoMap.set(ni.name, ni);
    s.nodeInfoList = infos.slice();
    s.rebuildAffinityLists();
    return s;
  }

  /** Adds a NodeInfo of this snapshot's own (the cache's copy of its node), taking in its row. */
  add(info: NodeInfoImpl): void {
    this.remove(info.name);
    this.rows.attach(info);
    this.nodeInfoMap.set(info.name, info);
  }

  remove(name: string): void {
    const info = this.nodeInfoMap.get(name);
    if (!info) return;
    this.rows.detach(info);
    this.nodeInfoMap.delete(name);
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
