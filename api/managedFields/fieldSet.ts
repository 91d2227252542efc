/**
 * A set of field paths, as structured-merge-diff's fieldpath.Set: a tree whose nodes list the
 * elements that are members at that level (the path ending there is in the set) and the children
 * below some elements. A path can be both a member and a prefix of other members: a list item
 * owned as a whole and its fields. Serialized as `fieldsV1` (see toJSON).
 *
 * Sets are built with `insert` and never changed afterwards: the operations return new sets that
 * share unchanged subtrees with their operands (every write computes several of them).
 */
import { isPlainObject } from '../schema/walk';
import { hasOwnKeys } from './ownKeys';
import { PathElementError, sortElements, validElement, type Element, type FieldPath } from './pathElement';

/** The `fieldsV1` JSON of a ManagedFieldsEntry. */
export type FieldsV1 = { [element: string]: FieldsV1 };

const none: ReadonlySet<Element> = new Set();
const noChildren: ReadonlyMap<Element, FieldSet> = new Map();

export class FieldSet {
  // Allocated on first use: most nodes of a field set are leaves' parents with members only.
  private members: Set<Element> | undefined;
  private children: Map<Element, FieldSet> | undefined;

  static of(...paths: FieldPath[]): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.insert(path);
    return set;
  }

  /**
   * Adds a path to a set being built (mutates; returns this). Never call it on the result of an
   * operation, which may share nodes with other sets. The root (an empty path) is never a member.
   */
  insert(path: FieldPath): this {
    if (path.length === 0) return this;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) {
      const children = (node.children ??= new Map());
      let child = children.get(path[i]!);
      if (!child) {
        child = new FieldSet();
        children.set(path[i]!, child);
      }
      node = child;
    }
    (node.members ??= new Set()).add(path[path.length - 1]!);
    return this;
  }

  has(path: FieldPath): boolean {
    if (path.length === 0) return false;
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.child(path[i]!);
    return node?.hasMember(path[path.length - 1]!) ?? false;
  }

  get empty(): boolean {
    return !this.members?.size && !this.children?.size;
  }

  /** Whether `element` is a member at this level. */
  hasMember(element: Element): boolean {
    return this.members?.has(element) ?? false;
  }

  /** The paths below `element` (relative to it), if any. */
  child(element: Element): FieldSet | undefined {
    return this.children?.get(element);
  }

  /** Elements that are members or have children at this level. */
  elements(): Element[] {
    // Members in order, then the other elements with children: a Set of both, without the Set.
    const out = this.members ? [...this.members] : [];
    if (this.children) for (const element of this.children.keys()) if (!this.members?.has(element)) out.push(element);
    return out;
  }

  union(other: FieldSet): FieldSet {
    if (other.empty) return this;
    if (this.empty) return other;
    const children = new Map(this.children ?? noChildren);
    for (const [element, theirs] of other.children ?? noChildren) {
      const mine = children.get(element);
      children.set(element, mine ? mine.union(theirs) : theirs);
    }
    const members = new Set(this.members ?? none);
    for (const m of other.members ?? none) members.add(m);
    return FieldSet.node(members, children);
  }

  intersection(other: FieldSet): FieldSet {
    const members = [...(this.members ?? none)].filter((m) => other.hasMember(m));
    const children = new Map<Element, FieldSet>();
    for (const [element, child] of this.children ?? noChildren) {
      const theirs = other.child(element);
      if (theirs) children.set(element, child.intersection(theirs));
    }
    return FieldSet.node(new Set(members), children);
  }

  /** The paths of this set that are not in `other` (a member of `other` does not remove what lies below it). */
  difference(other: FieldSet): FieldSet {
    return this.subtract(other, false);
  }

  /** The paths of this set that have no prefix in `other` (a member of `other` removes its whole subtree). */
  recursiveDifference(other: FieldSet): FieldSet {
    return this.subtract(other, true);
  }

  /**
   * difference, or recursiveDifference when `recursive`. A node that loses nothing is returned
   * itself rather than copied: every write subtracts from every manager's set, and most of those
   * sets, and most subtrees of the others, come through unchanged.
   */
  private subtract(other: FieldSet, recursive: boolean): FieldSet {
    if (other.empty || this.empty) return this;
    let changed = false;
    const members = new Set<Element>();
    for (const m of this.members ?? none) {
      if (other.hasMember(m)) changed = true;
      else members.add(m);
    }
    const children = new Map<Element, FieldSet>();
    for (const [element, child] of this.children ?? noChildren) {
      if (recursive && other.hasMember(element)) {
        changed = true;
        continue;
      }
      const theirs = other.child(element);
      const rest = theirs ? child.subtract(theirs, recursive) : child;
      if (rest !== child) changed = true;
      children.set(element, rest);
    }
    return changed ? FieldSet.node(members, children) : this;
  }

  /** The paths of this set that have a prefix (or are equal to a member) in `prefixes`. */
  within(prefixes: FieldSet): FieldSet {
    return this.difference(this.recursiveDifference(prefixes));
  }

  equals(other: FieldSet): boolean {
    if (this === other) return true;
    const members = this.members ?? none;
    const children = this.children ?? noChildren;
    if (members.size !== (other.members?.size ?? 0) || children.size !== (other.children?.size ?? 0)) return false;
    for (const m of members) if (!other.hasMember(m)) return false;
    for (const [element, child] of children) {
      const theirs = other.child(element);
      if (!theirs || !child.equals(theirs)) return false;
    }
    return true;
  }

  /** Every path in the set, in structured-merge-diff's order. */
  paths(): FieldPath[] {
    const out: FieldPath[] = [];
    const walk = (node: FieldSet, prefix: FieldPath) => {
      for (const element of sortElements(node.elements())) {
        const path = [...prefix, element];
        if (node.hasMember(element)) out.push(path);
        const child = node.child(element);
        if (child) walk(child, path);
      }
    };
    walk(this, []);
    return out;
  }

  /**
   * `fieldsV1`, as structured-merge-diff writes it: one key per element in its order, `{}` for a
   * member without children, and `".": {}` after the children of an element that is also a member.
   */
  toJSON(): FieldsV1 {
    const out: FieldsV1 = {};
    for (const element of sortElements(this.elements())) {
      const child = this.child(element);
      if (!child) {
        out[element] = {};
        continue;
      }
      const contents = child.toJSON();
      if (this.hasMember(element)) contents['.'] = {};
      out[element] = contents;
    }
    return out;
  }

  /** Reads `fieldsV1`; throws PathElementError when it is malformed. Unknown element kinds are dropped. */
  static fromJSON(json: unknown): FieldSet {
    if (json === undefined || json === null) return new FieldSet();
    if (!isPlainObject(json)) throw new PathElementError('fieldsV1 must be a JSON object');
    // Built in place (a node's Set and Map only when it has members or children), and a `{}`
    // below an element read without building an empty set for it: most elements are such leaves.
    const set = new FieldSet();
    for (const element of Object.keys(json)) {
      if (element === '.' || !validElement(element)) continue;
      const value = json[element];
      if (!isPlainObject(value)) throw new PathElementError(`the value of ${JSON.stringify(element)} must be a JSON object`);
      const child = hasOwnKeys(value) ? FieldSet.fromJSON(value) : undefined;
      // `{}` (or only unknown kinds below) is a member; `.` makes an element with children one too.
      if (!child || child.empty || '.' in value) (set.members ??= new Set()).add(element);
      if (child && !child.empty) (set.children ??= new Map()).set(element, child);
    }
    return set;
  }

  /** A node of these members and children; empty children are dropped, as a set never holds them. */
  private static node(members: Set<Element>, children: Map<Element, FieldSet>): FieldSet {
    const set = new FieldSet();
    if (members.size > 0) set.members = members;
    for (const [element, child] of children) if (child.empty) children.delete(element);
    if (children.size > 0) set.children = children;
    return set;
  }
}

