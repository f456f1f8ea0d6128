import type { LabelSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod } from '../model/kubernetes';

export { matchesLabelSelector } from '../model/labels';

/** A label selector as a predicate on labels, with the same answers as `matchesLabelSelector` for that selector. */
export type CompiledSelector = (labels: Record<string, string>) => boolean;

const COMPILED = new WeakMap<LabelSelector, CompiledSelector>();
const matchesNothing: CompiledSelector = () => false;

/**
 * apimachinery LabelSelectorAsSelector, done once per selector object: matchLabels as key/value arrays and the
 * expressions as a list, so matching a pod allocates nothing (matchesLabelSelector enumerates the object per call).
 * An unknown operator matches nothing, as in matchesLabelSelector.
 */
export function compileLabelSelector(selector: LabelSelector): CompiledSelector {
  let compiled = COMPILED.get(selector);
  if (compiled) return compiled;
  const matchLabels = selector.matchLabels ?? {};
  const keys = Object.keys(matchLabels);
  const values = keys.map((k) => matchLabels[k]);
  const expressions = (selector.matchExpressions ?? []).map((e) => ({ key: e.key, operator: e.operator, values: e.values ?? [] }));
  if (expressions.some((e) => e.operator !== 'In' && e.operator !== 'NotIn' && e.operator !== 'Exists' && e.operator !== 'DoesNotExist')) compiled = matchesNothing;
  else {
    compiled = (labels) => {
      for (let i = 0; i < keys.length; i += 1) if (labels[keys[i]] !== values[i]) return false;
      for (let i = 0; i < expressions.length; i += 1) {
        const e = expressions[i];
        const has = Object.prototype.hasOwnProperty.call(labels, e.key);
        switch (e.operator) {
          case 'In': if (!has || !e.values.includes(labels[e.key])) return false; break;
          case 'NotIn': if (has && e.values.includes(labels[e.key])) return false; break;
          case 'Exists': if (!has) return false; break;
          default: if (has) return false;
        }
      }
      return true;
    };
  }
  COMPILED.set(selector, compiled);
  return compiled;
}

export function selectorKey(selector: LabelSelector | undefined): string {
  if (!selector) return 'nothing';
  const labels = Object.entries(selector.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const expressions = (selector.matchExpressions ?? []).map((e) => `${e.key} ${e.operator} ${(e.values ?? []).slice().sort().join(',')}`).sort();
  return JSON.stringify([labels, expressions]);
}

/** A node selector requirement against node labels (k8s.io/component-helpers/scheduling/corev1/nodeaffinity). */
export function matchesNodeSelectorRequirement(req: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = labels[req.key];
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In': return has && values.includes(value);
    case 'NotIn': return !has || !values.includes(value);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt': return has && /^-?\d+$/.test(value) && values.length === 1 && Number(value) > Number(values[0]);
    case 'Lt': return has && /^-?\d+$/.test(value) && values.length === 1 && Number(value) < Number(values[0]);
    default: return false;
  }
}

/** Terms are ORed, requirements within a term ANDed; a term with no requirements matches nothing. */
export function matchesNodeSelectorTerms(terms: NodeSelectorTerm[], labels: Record<string, string>, nodeName?: string): boolean {
  return terms.some((term) => {
    const expressions = term.matchExpressions ?? [];
    const fields = term.matchFields ?? [];
    if (expressions.length === 0 && fields.length === 0) return false;
    return expressions.every((r) => matchesNodeSelectorRequirement(r, labels)) &&
      fields.every((r) => r.key === 'metadata.name' && matchesNodeSelectorRequirement({ ...r, key: 'metadata.name' }, { 'metadata.name': nodeName ?? '' }));
  });
}

/** nodeSelector plus required node affinity (pkg/scheduler/framework/plugins/nodeaffinity GetRequiredNodeAffinity). */
export function podMatchesNodeLabels(pod: Pod, labels: Record<string, string>, nodeName?: string): boolean {
  // for-in, not Object.entries: Filter runs this for every node, and an entries array per call is garbage.
  const nodeSelector = pod.spec.nodeSelector;
  if (nodeSelector) for (const key in nodeSelector) if (labels[key] !== nodeSelector[key]) return false;
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required && required.nodeSelectorTerms.length > 0 && !matchesNodeSelectorTerms(required.nodeSelectorTerms, labels, nodeName)) return false;
  return true;
}
