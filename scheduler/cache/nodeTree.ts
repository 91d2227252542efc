/**
 * The order in which a snapshot lists nodes: round robin over zones (zone by zone, one node of
 * each in turn), so a search that stops after a sample of nodes still sees every zone
 * (Kubernetes' nodeTree). Within a zone, nodes keep the order in which they were added.
 */
import type { Node } from '../../api/kinds/core/node';

/** The node's zone key: region and zone labels ("" when it has neither). */
export function zoneKey(node: Node): string {
  const labels = node.metadata?.labels ?? {};
  const region = labels['topology.kubernetes.io/region'] ?? '';
  const zone = labels['topology.kubernetes.io/zone'] ?? '';
  return region || zone ? `${region}:\u0000:${zone}` : '';
}

export class NodeTree {
  private readonly zones = new Map<string, string[]>();
  private readonly zoneOf = new Map<string, string>();

  get size(): number {
    return this.zoneOf.size;
  }

  add(node: Node): void {
    const name = node.metadata?.name ?? '';
    if (this.zoneOf.has(name)) return;
    const zone = zoneKey(node);
    this.zoneOf.set(name, zone);
    let list = this.zones.get(zone);
    if (!list) this.zones.set(zone, (list = []));
    list.push(name);
  }

  remove(name: string): void {
    const zone = this.zoneOf.get(name);
    if (zone === undefined) return;
    this.zoneOf.delete(name);
    const list = this.zones.get(zone)!;
    list.splice(list.indexOf(name), 1);
    if (list.length === 0) this.zones.delete(zone);
  }

  /** Moves the node when its zone labels changed; true when it moved. */
  update(node: Node): boolean {
    const name = node.metadata?.name ?? '';
    if (this.zoneOf.get(name) === zoneKey(node)) return false;
    this.remove(name);
    this.add(node);
    return true;
  }

  /** Node names, zones interleaved. */
  list(): string[] {
    const out: string[] = [];
    const lists = [...this.zones.values()];
    for (let i = 0; out.length < this.zoneOf.size; i++) {
      for (const l of lists) if (i < l.length) out.push(l[i]!);
    }
    return out;
  }
}
