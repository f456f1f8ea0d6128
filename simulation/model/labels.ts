import type { LabelSelector, NodeSelectorRequirement } from './kubernetes';

// Label selectors are apimachinery semantics, shared by the scheduler, the controllers and the checks.

/** metav1.LabelSelector matching (apimachinery labels.Selector): an empty selector matches everything. */
export function matchesLabelSelector(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In': if (!has || !values.includes(labels[req.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[req.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/**
 * Whether one label value satisfies a Karpenter requirement (kubernetes-sigs/karpenter pkg/scheduling/requirement.go:
 * a label is a single-valued requirement); `undefined` is an absent label. Gte and Lte (newer NodePool CRDs) arrive
 * as plain strings.
 */
export function labelSatisfies(value: string | undefined, r: NodeSelectorRequirement): boolean {
  const values = r.values ?? [];
  if (value === undefined) return r.operator === 'NotIn' || r.operator === 'DoesNotExist';
  switch (r.operator as string) {
    case 'In': return values.includes(value);
    case 'NotIn': return !values.includes(value);
    case 'Exists': return true;
    case 'DoesNotExist': return false;
    case 'Gt': return Number(value) > Number(values[0]);
    case 'Lt': return Number(value) < Number(values[0]);
    case 'Gte': return Number(value) >= Number(values[0]);
    case 'Lte': return Number(value) <= Number(values[0]);
    default: return true;
  }
}
