const NONE = -1;
const INITIAL_NODES = 1024;

/**
 * Longest-prefix match of IPv4/IPv6 networks to non-negative integer values: a binary trie
 * per address family whose nodes live in typed arrays (no object per node), so 5 000
 * networks cost a few hundred KiB and a lookup walks at most 32 or 128 array cells. An
 * identical prefix inserted again overwrites the earlier value (netifyd's behaviour).
 */
export class CidrTrie {
  private left = new Int32Array(INITIAL_NODES);
  private right = new Int32Array(INITIAL_NODES);
  private values = new Int32Array(INITIAL_NODES);
  private nodes = 0;
  private readonly rootV4: number;
  private readonly rootV6: number;
  private count = 0;

  constructor() {
    this.rootV4 = this.newNode();
    this.rootV6 = this.newNode();
  }

  /** Distinct prefixes stored. */
  get size(): number {
    return this.count;
  }

  /** `bytes` is a 4- or 16-byte address; bits beyond `prefix` are ignored. */
  insert(bytes: Uint8Array, prefix: number, value: number): void {
    let node = bytes.length === 4 ? this.rootV4 : this.rootV6;
    for (let bit = 0; bit < prefix; bit++) {
      const one = (bytes[bit >> 3]! >> (7 - (bit & 7))) & 1;
      const branch = one ? this.right : this.left;
      let next = branch[node]!;
      if (next === NONE) {
        next = this.newNode();
        (one ? this.right : this.left)[node] = next;
      }
      node = next;
    }
    if (this.values[node] === NONE) this.count++;
    this.values[node] = value;
  }

  /** The value of the longest stored prefix containing `bytes`; -1 when none does. */
  lookup(bytes: Uint8Array): number {
    let node = bytes.length === 4 ? this.rootV4 : this.rootV6;
    let found = this.values[node]!;
    const bits = bytes.length * 8;
    const left = this.left;
    const right = this.right;
    const values = this.values;
    for (let bit = 0; bit < bits; bit++) {
      node = ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1) === 1 ? right[node]! : left[node]!;
      if (node === NONE) break;
      const value = values[node]!;
      if (value !== NONE) found = value;
    }
    return found;
  }

  private newNode(): number {
    if (this.nodes === this.left.length) {
      const grow = (array: Int32Array) => {
        const bigger = new Int32Array(array.length * 2);
        bigger.set(array);
        return bigger;
      };
      this.left = grow(this.left);
      this.right = grow(this.right);
      this.values = grow(this.values);
    }
    const node = this.nodes++;
    this.left[node] = NONE;
    this.right[node] = NONE;
    this.values[node] = NONE;
    return node;
  }
}
