import type { Node } from '../model/kubernetes';
import type { NodeInfo } from './node-info';

/**
 * One score plugin's per-row memo (see NodeTable.scoreMemo): `score[row]`, valid while the row is unchanged and the
 * pod's two request numbers equal `firstKey[row]` and `secondKey[row]` (NaN when unset, so nothing matches).
 */
export interface ScoreMemo {
  score: Float64Array;
  firstKey: Float64Array;
  secondKey: Float64Array;
}

/**
 * One required node selector's per-row memo (see NodeTable.selectorMemo): `matches[row]` (1 when the node's labels
 * satisfy the selector, 0 when not), valid while `stamp[row]` equals the table's `rowStamp[row]` (0: never computed).
 */
export interface SelectorMemo {
  stamp: Float64Array;
  matches: Uint8Array;
}

/** Distinct selectors memoized at once; past it, every memo is dropped and they refill on demand. */
const MAX_SELECTOR_MEMOS = 64;

/**
 * The numbers Filter and Score read for every node, in flat typed arrays indexed by row (a slot a node keeps while
 * it is in the snapshot), plus `order`: the row of each node in snapshot order. The framework's hot loop reads
 * these instead of walking each NodeInfo's objects (allocatable, requested, the Node's spec): the same values,
 * laid out so that a pass over thousands of nodes stays in cache. Kept by ClusterSnapshot; NodeInfo stays the
 * source of truth (see ClusterSnapshot.nodeTable for how the table is kept in step).
 */
export class NodeTable {
  /** Row of each node, in snapshot order (`order[i]` is the row of `snapshot.nodes[i]`). */
  order = new Int32Array(16);
  allocatableMilliCpu = new Float64Array(16);
  allocatableMemoryBytes = new Float64Array(16);
  allocatableEphemeralStorageBytes = new Float64Array(16);
  allocatablePods = new Float64Array(16);
  requestedMilliCpu = new Float64Array(16);
  requestedMemoryBytes = new Float64Array(16);
  requestedEphemeralStorageBytes = new Float64Array(16);
  podCount = new Float64Array(16);
  nonZeroMilliCpu = new Float64Array(16);
  nonZeroMemoryBytes = new Float64Array(16);
  /** NodeResourcesBalancedAllocation's balance of the node without the incoming pod; NaN until computed for the row's current requests. */
  balanceWithoutPod = new Float64Array(16);
  /**
   * The Node's spec object (cordon and taints), held by reference so a check reads one small object: the engine
   * cordons and taints a node by assigning the fields of its spec, which this sees at once.
   */
  specs: (Node['spec'] | undefined)[] = [];
  /**
   * Which node a row holds, as a number: set anew (from a counter, never 0) whenever a row is given to another
   * node, so a selector memo computed for the row's previous node stops being read (NodeInfo.labels and name are
   * fixed for a NodeInfo: a relabelled node is a new NodeInfo).
   */
  rowStamp = new Float64Array(16);
  /** Selector memos by selector id (pod-info requiredNodeSelectorId). */
  private readonly selectorMemos = new Map<number, SelectorMemo>();
  private readonly rowNodes: (NodeInfo | undefined)[] = [];
  private stamps = 0;
  /** Score memos by owner (one per plugin instance), cleared row by row as rows are written. */
  private readonly memos = new Map<object, ScoreMemo>();
  private readonly memoList: ScoreMemo[] = [];
  private readonly rows = new Map<NodeInfo, number>();
  private readonly freeRows: number[] = [];
  private nextRow = 0;
  private length = 0;

  /**
   * A per-row memo of a score that depends only on the row's numbers and two numbers of the pod's request (most
   * pods in a run share a request shape, and a bind changes one row): Score then reads one number per node instead
   * of recomputing it. `owner` is the scoring plugin instance (so plugins built with other args never share).
   */
  scoreMemo(owner: object): ScoreMemo {
    let memo = this.memos.get(owner);
    if (!memo) {
      const size = this.podCount.length;
      memo = { score: new Float64Array(size), firstKey: new Float64Array(size).fill(NaN), secondKey: new Float64Array(size).fill(NaN) };
      this.memos.set(owner, memo);
      this.memoList.push(memo);
    }
    return memo;
  }

  /**
   * The per-row match memo of one required node selector (NodeAffinity's Filter depends only on it and the node's
   * labels and name): Filter then reads one number per node it has seen with this selector.
   */
  selectorMemo(id: number): SelectorMemo {
    const size = this.podCount.length;
    let memo = this.selectorMemos.get(id);
    if (!memo) {
      if (this.selectorMemos.size >= MAX_SELECTOR_MEMOS) this.selectorMemos.clear();
      memo = { stamp: new Float64Array(size), matches: new Uint8Array(size) };
      this.selectorMemos.set(id, memo);
    } else if (memo.stamp.length < size) {
      const stamp = new Float64Array(size);
      stamp.set(memo.stamp);
      const matches = new Uint8Array(size);
      matches.set(memo.matches);
      memo.stamp = stamp;
      memo.matches = matches;
    }
    return memo;
  }

  rowOf(node: NodeInfo): number | undefined {
    return this.rows.get(node);
  }

  /** Gives the node a row and puts it at `index` in snapshot order. */
  insert(node: NodeInfo, index: number): void {
    let row = this.freeRows.pop();
    if (row === undefined) {
      row = this.nextRow;
      this.nextRow += 1;
      if (row >= this.podCount.length) this.grow(2 * this.podCount.length);
    }
    if (this.length + 1 > this.order.length) this.grow(2 * this.order.length);
    this.rows.set(node, row);
    this.order.copyWithin(index + 1, index, this.length);
    this.order[index] = row;
    this.length += 1;
    this.write(row, node);
  }

  /** Frees the node's row and takes it out of snapshot order at `index`. */
  delete(node: NodeInfo, index: number): void {
    const row = this.rows.get(node);
    if (row === undefined) return;
    this.rows.delete(node);
    this.freeRows.push(row);
    this.order.copyWithin(index, index + 1, this.length);
    this.length -= 1;
    this.specs[row] = undefined;
    this.rowNodes[row] = undefined;
  }

  /** Copies the node's current numbers into its row. */
  update(node: NodeInfo): void {
    const row = this.rows.get(node);
    if (row !== undefined) this.write(row, node);
  }

  /** Re-reads every node (after a NodeInfo changed outside the snapshot). */
  refresh(nodes: readonly NodeInfo[]): void {
    for (const node of nodes) this.update(node);
  }

  private write(row: number, node: NodeInfo): void {
    const { allocatable, requested, nonZeroRequested } = node;
    this.allocatableMilliCpu[row] = allocatable.milliCpu;
    this.allocatableMemoryBytes[row] = allocatable.memoryBytes;
    this.allocatableEphemeralStorageBytes[row] = allocatable.ephemeralStorageBytes;
    this.allocatablePods[row] = allocatable.pods;
    this.requestedMilliCpu[row] = requested.milliCpu;
    this.requestedMemoryBytes[row] = requested.memoryBytes;
    this.requestedEphemeralStorageBytes[row] = requested.ephemeralStorageBytes;
    this.podCount[row] = node.podCount();
    this.nonZeroMilliCpu[row] = nonZeroRequested.milliCpu;
    this.nonZeroMemoryBytes[row] = nonZeroRequested.memoryBytes;
    this.balanceWithoutPod[row] = NaN;
    this.specs[row] = node.node.spec;
    if (this.rowNodes[row] !== node) {
      this.rowNodes[row] = node;
      this.stamps += 1;
      this.rowStamp[row] = this.stamps;
    }
    for (let i = 0; i < this.memoList.length; i += 1) this.memoList[i].firstKey[row] = NaN;
  }

  private grow(size: number): void {
    const grown = (from: Float64Array) => {
      const to = new Float64Array(size);
      to.set(from.subarray(0, Math.min(from.length, size)));
      return to;
    };
    if (size > this.order.length) {
      const order = new Int32Array(size);
      order.set(this.order);
      this.order = order;
    }
    if (size > this.podCount.length) {
      this.allocatableMilliCpu = grown(this.allocatableMilliCpu);
      this.allocatableMemoryBytes = grown(this.allocatableMemoryBytes);
      this.allocatableEphemeralStorageBytes = grown(this.allocatableEphemeralStorageBytes);
      this.allocatablePods = grown(this.allocatablePods);
      this.requestedMilliCpu = grown(this.requestedMilliCpu);
      this.requestedMemoryBytes = grown(this.requestedMemoryBytes);
      this.requestedEphemeralStorageBytes = grown(this.requestedEphemeralStorageBytes);
      this.podCount = grown(this.podCount);
      this.nonZeroMilliCpu = grown(this.nonZeroMilliCpu);
      this.nonZeroMemoryBytes = grown(this.nonZeroMemoryBytes);
      this.balanceWithoutPod = grown(this.balanceWithoutPod);
      this.rowStamp = grown(this.rowStamp);
      for (const memo of this.memoList) {
        const from = memo.score.length;
        memo.score = grown(memo.score);
        memo.firstKey = grown(memo.firstKey);
        memo.firstKey.fill(NaN, from);
        memo.secondKey = grown(memo.secondKey);
        memo.secondKey.fill(NaN, from);
      }
    }
  }
}
