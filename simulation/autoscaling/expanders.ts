// Cluster Autoscaler expanders (kubernetes/autoscaler cluster-autoscaler/expander/*): each is a filter that keeps
// the best scale-up options; `--expander=a,b` chains them, and what is still tied at the end is decided at
// random (expander/random), with the simulation's seeded generator.

/** What an expander reads of a scale-up option. */
export interface ExpansionOption {
  /** The node group (full logical id). */
  readonly group: string;
  readonly nodeCount: number;
  readonly podCount: number;
  /** Requested / allocatable of the new nodes, CPU and memory (expander/waste). */
  readonly requestedMilliCpu: number;
  readonly allocatableMilliCpu: number;
  readonly requestedMemoryBytes: number;
  readonly allocatableMemoryBytes: number;
}

export type ExpanderName = 'random' | 'least-waste' | 'priority' | 'most-pods' | 'least-nodes' | 'price';

/** expander/leastnodes: the options adding the fewest nodes; options adding none are invalid. */
export function leastNodes<T extends ExpansionOption>(options: readonly T[]): T[] {
  const valid = options.filter((o) => o.nodeCount > 0);
  const least = Math.min(...valid.map((o) => o.nodeCount));
  return valid.filter((o) => o.nodeCount === least);
}

/** expander/mostpods: the options that schedule the most pods. */
export function mostPods<T extends ExpansionOption>(options: readonly T[]): T[] {
  const most = Math.max(...options.map((o) => o.podCount));
  return options.filter((o) => o.podCount === most);
}

/** expander/waste: the least unrequested CPU plus memory fraction of the new nodes; ties keep all. */
export function leastWaste<T extends ExpansionOption>(options: readonly T[]): T[] {
  const waste = (o: ExpansionOption) => (o.allocatableMilliCpu - o.requestedMilliCpu) / Math.max(1, o.allocatableMilliCpu) + (o.allocatableMemoryBytes - o.requestedMemoryBytes) / Math.max(1, o.allocatableMemoryBytes);
  const least = Math.min(...options.map(waste));
  return options.filter((o) => Math.abs(waste(o) - least) <= 1e-9);
}

/** expander/priority: the options whose group matches the highest-priority pattern (ConfigMap priorities). */
export function byPriority<T extends ExpansionOption>(options: readonly T[], priorities: Readonly<Record<string, number>>, shortName: (group: string) => string = (g) => g): T[] {
  const priorityOf = (o: ExpansionOption) => Math.max(Number.NEGATIVE_INFINITY, ...Object.entries(priorities)
    .filter(([pattern]) => safeRegex(pattern).test(o.group) || safeRegex(pattern).test(shortName(o.group))).map(([, p]) => p));
  const top = Math.max(...options.map(priorityOf));
  // No pattern matches any option: priority filters nothing out.
  return Number.isFinite(top) ? options.filter((o) => priorityOf(o) === top) : [...options];
}

function safeRegex(pattern: string): RegExp {
  try { return new RegExp(pattern); } catch { return /$^/; }
}

/**
 * The chosen option for an expander chain, or undefined when no option is valid. Options are sorted by group so
 * the random choice depends only on the seed.
 */
export function expand<T extends ExpansionOption>(chain: readonly ExpanderName[], options: readonly T[], priorities: Readonly<Record<string, number>>, random: () => number, shortName?: (group: string) => string): T | undefined {
  let best = [...options].sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  for (const name of chain) {
    if (best.length <= 1) break;
    if (name === 'least-nodes') best = leastNodes(best);
    else if (name === 'most-pods') best = mostPods(best);
    else if (name === 'least-waste') best = leastWaste(best);
    else if (name === 'priority') best = byPriority(best, priorities, shortName);
  }
  if (best.length === 0) return undefined;
  return best.length === 1 ? best[0] : best[Math.floor(random() * best.length)];
}
