import type { NodeSelectorRequirement, Pod } from '../../model/kubernetes';

// Karpenter's requirement sets (kubernetes-sigs/karpenter pkg/scheduling/requirements.go): per label key the
// set of allowed values (or its complement), bounds for Gt/Lt, intersected between NodePool, pod and
// instance type; two sets are compatible when every key they share still allows a value.

interface KeyRequirement {
  /** Allowed values; undefined means any value (complement form with `excluded`). */
  values?: Set<string>;
  excluded: Set<string>;
  /** The label must be absent. */
  absent: boolean;
  /** The label must exist (In, Exists, Gt, Lt): a node without it does not match. */
  exists?: boolean;
  greaterThan?: number;
  lessThan?: number;
}

export class Requirements {
  private readonly keys = new Map<string, KeyRequirement>();

  static from(requirements: readonly NodeSelectorRequirement[] = []): Requirements {
    const out = new Requirements();
    for (const r of requirements) out.add(r);
    return out;
  }

  /**
   * The pod's nodeSelector and one term of its required node affinity (the first unless `term` says; Karpenter
   * tries the ORed terms in order: preferences.go removeRequiredNodeAffinityTerm), plus optional extra
   * requirements (a preferred term treated as required).
   */
  static fromPod(pod: Pod, term = 0, extra: readonly NodeSelectorRequirement[] = []): Requirements {
    const out = new Requirements();
    for (const [key, value] of Object.entries(pod.spec.nodeSelector ?? {})) out.add({ key, operator: 'In', values: [value] });
    const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
    for (const r of terms[term]?.matchExpressions ?? []) out.add(r);
    for (const r of extra) out.add(r);
    return out;
  }

  clone(): Requirements {
    const out = new Requirements();
    for (const [key, r] of this.keys) out.keys.set(key, { values: r.values ? new Set(r.values) : undefined, excluded: new Set(r.excluded), absent: r.absent, exists: r.exists, greaterThan: r.greaterThan, lessThan: r.lessThan });
    return out;
  }

  add(r: NodeSelectorRequirement): void {
    const current = this.keys.get(r.key) ?? { excluded: new Set<string>(), absent: false };
    const values = r.values ?? [];
    if (r.operator === 'In' || r.operator === 'Exists' || r.operator === 'Gt' || r.operator === 'Lt') current.exists = true;
    switch (r.operator) {
      case 'In': {
        const next = new Set(values.filter((v) => !current.excluded.has(v) && (!current.values || current.values.has(v))));
        current.values = next;
        break;
      }
      case 'NotIn':
        for (const v of values) { current.excluded.add(v); current.values?.delete(v); }
        break;
      case 'Exists':
        break;
      case 'DoesNotExist':
        current.absent = true;
        break;
      case 'Gt':
        current.greaterThan = Math.max(current.greaterThan ?? Number.NEGATIVE_INFINITY, Number(values[0]));
        break;
      case 'Lt':
        current.lessThan = Math.min(current.lessThan ?? Number.POSITIVE_INFINITY, Number(values[0]));
        break;
    }
    this.keys.set(r.key, current);
  }

  /** Adds every requirement of another set (intersection). */
  merge(other: Requirements): Requirements {
    const out = this.clone();
    for (const [key, r] of other.keys) {
      if (r.values) out.add({ key, operator: 'In', values: [...r.values] });
      if (r.excluded.size > 0) out.add({ key, operator: 'NotIn', values: [...r.excluded] });
      if (r.absent) out.add({ key, operator: 'DoesNotExist' });
      if (r.exists) out.add({ key, operator: 'Exists' });
      if (r.greaterThan !== undefined) out.add({ key, operator: 'Gt', values: [String(r.greaterThan)] });
      if (r.lessThan !== undefined) out.add({ key, operator: 'Lt', values: [String(r.lessThan)] });
      if (!out.keys.has(key)) out.keys.set(key, { excluded: new Set(), absent: false });
    }
    return out;
  }

  /** Whether a value is allowed for a key (absent keys allow everything). */
  allows(key: string, value: string | undefined): boolean {
    const r = this.keys.get(key);
    if (!r) return true;
    if (value === undefined) return r.absent || (!r.exists && !r.values && r.greaterThan === undefined && r.lessThan === undefined);
    if (r.absent) return false;
    if (r.values && !r.values.has(value)) return false;
    if (r.excluded.has(value)) return false;
    if (r.greaterThan !== undefined && !(Number(value) > r.greaterThan)) return false;
    if (r.lessThan !== undefined && !(Number(value) < r.lessThan)) return false;
    return true;
  }

  /** Every key still allows some value. */
  satisfiable(): boolean {
    for (const r of this.keys.values()) {
      if (r.values && r.values.size === 0 && !r.absent) return false;
      // "must be absent" and "must be one of these values" cannot both hold.
      if (r.absent && (r.exists || (r.values && r.values.size > 0))) return false;
      if (r.greaterThan !== undefined && r.lessThan !== undefined && r.lessThan - r.greaterThan <= 1) return false;
    }
    return true;
  }

  /**
   * Karpenter's `Compatible(other, AllowUndefinedWellKnownLabels)` (pkg/scheduling/requirements.go): the
   * intersection is satisfiable, and every label `other` requires to exist is one these requirements define or a
   * well-known label (a custom label the NodePool never sets cannot appear on its nodes).
   */
  compatible(other: Requirements, wellKnown: ReadonlySet<string>): boolean {
    for (const [key, r] of other.keys) {
      if (r.exists && !this.keys.has(key) && !wellKnown.has(key)) return false;
    }
    return this.merge(other).satisfiable();
  }

  /** Labels of a node satisfy every requirement. */
  matches(labels: Record<string, string>): boolean {
    for (const key of this.keys.keys()) if (!this.allows(key, labels[key])) return false;
    return true;
  }

  /**
   * An instance type's labels satisfy the requirements on the keys an instance type defines; other keys
   * (karpenter.sh/nodepool, capacity type, zone, custom labels) are the NodeClaim's and only need to be satisfiable.
   */
  matchesOn(labels: Record<string, string>, keys: ReadonlySet<string>): boolean {
    for (const key of this.keys.keys()) if (keys.has(key) && !this.allows(key, labels[key])) return false;
    return true;
  }

  /** The allowed values of a key, when it is restricted to a finite set. */
  values(key: string): string[] | undefined {
    const r = this.keys.get(key);
    return r?.values ? [...r.values].sort() : undefined;
  }

  /** No requirement at all (merging it changes nothing). */
  isEmpty(): boolean {
    return this.keys.size === 0;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** A stable key for caching compatibility per requirement set. */
  key(): string {
    return [...this.keys.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, r]) =>
      `${k}:${r.values ? [...r.values].sort().join('|') : '*'}!${[...r.excluded].sort().join('|')}${r.absent ? '!exists' : ''}${r.exists ? '+exists' : ''}${r.greaterThan ?? ''}<${r.lessThan ?? ''}`).join(';');
  }
}
