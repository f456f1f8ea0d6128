import { parse as parseYaml } from 'yaml';

// kubelet max pods from launch-template user data: an AL2023 nodeadm NodeConfig (MIME multipart part
// `application/node.eks.aws`, spec.kubelet.config.maxPods), Bottlerocket settings (max-pods), or the AL2
// bootstrap.sh flags (--max-pods / --kubelet-extra-args '--max-pods=N').

export function maxPodsFromUserData(userData: string): number | undefined {
  const text = looksLikeBase64(userData) ? Buffer.from(userData, 'base64').toString('utf8') : userData;
  const nodeadm = /kind:\s*NodeConfig[\s\S]*?maxPods:\s*(\d+)/.exec(text) ?? /maxPods:\s*(\d+)[\s\S]*?kind:\s*NodeConfig/.exec(text);
  if (nodeadm) return Number(nodeadm[1]);
  for (const part of text.split(/^--[^\n]*$/m)) {
    if (!/kind:\s*NodeConfig/.test(part)) continue;
    try {
      const doc = parseYaml(part.slice(part.indexOf('apiVersion'))) as { spec?: { kubelet?: { config?: { maxPods?: number } } } };
      if (typeof doc?.spec?.kubelet?.config?.maxPods === 'number') return doc.spec.kubelet.config.maxPods;
    } catch { /* not YAML: keep looking */ }
  }
  const bottlerocket = /max-pods\s*=\s*(\d+)/.exec(text);
  if (bottlerocket) return Number(bottlerocket[1]);
  const bootstrap = /--max-pods[= ](\d+)/.exec(text);
  if (bootstrap) return Number(bootstrap[1]);
  return undefined;
}

/** nodeadm's spec.kubelet.maxPodsExpression (a CEL string) from an AL2023 NodeConfig in the user data, if any. */
export function maxPodsExpressionFromUserData(userData: string): string | undefined {
  const text = looksLikeBase64(userData) ? Buffer.from(userData, 'base64').toString('utf8') : userData;
  for (const part of text.split(/^--[^\n]*$/m)) {
    if (!/kind:\s*NodeConfig/.test(part) || !/maxPodsExpression/.test(part)) continue;
    try {
      const doc = parseYaml(part.slice(part.indexOf('apiVersion'))) as { spec?: { kubelet?: { maxPodsExpression?: unknown } } };
      const expression = doc?.spec?.kubelet?.maxPodsExpression;
      if (typeof expression === 'string' && expression.trim() !== '') return expression;
    } catch { /* not YAML: keep looking */ }
  }
  return undefined;
}

/** Node labels from AL2 bootstrap `--node-labels=a=b,c=d` or a NodeConfig `--node-labels` flag. */
export function labelsFromUserData(userData: string): Record<string, string> {
  const text = looksLikeBase64(userData) ? Buffer.from(userData, 'base64').toString('utf8') : userData;
  const match = /--node-labels[= ]([^\s'"]+)/.exec(text);
  const labels: Record<string, string> = {};
  if (match) for (const pair of match[1].split(',')) { const [k, v] = pair.split('='); if (k) labels[k] = v ?? ''; }
  return labels;
}

function looksLikeBase64(text: string): boolean {
  return text.length >= 16 && /^[A-Za-z0-9+/=\s]+$/.test(text) && !text.includes(' ');
}
