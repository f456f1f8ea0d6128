import type { ClusterModel } from '../model/cluster';
import type { Finding } from '../model/result';

// IRSA: the role's trust policy `<issuer>:sub` must name a ServiceAccount that exists
// (EKS docs, "Configure a Kubernetes service account to assume an IAM role"); Pod Identity is not
// available to Fargate pods (EKS docs, "Pod Identity restrictions").

const SUB = /^system:serviceaccount:([^:]+):([^:]+)$/;
/** Service accounts an EKS managed add-on creates in kube-system (the add-on's own manifests). */
const ADDON_SERVICE_ACCOUNTS: Record<string, string[]> = {
  'vpc-cni': ['kube-system/aws-node'],
  'aws-ebs-csi-driver': ['kube-system/ebs-csi-controller-sa', 'kube-system/ebs-csi-node-sa'],
};

export function checkIdentity(model: ClusterModel): Finding[] {
  const findings: Finding[] = [];
  const serviceAccounts = new Set(model.objects.filter((o) => o.object.kind === 'ServiceAccount')
    .map((o) => `${o.object.metadata.namespace ?? 'default'}/${o.object.metadata.name}`));
  // EKS managed add-ons create their own service accounts (vpc-cni: aws-node; aws-ebs-csi-driver: its controller's).
  for (const addon of model.addons) for (const sa of ADDON_SERVICE_ACCOUNTS[addon.name] ?? []) serviceAccounts.add(sa);
  // Charts installed by Helm create their own service accounts: accept those the values name.
  for (const release of model.helmReleases) {
    const sa = (release.values.serviceAccount ?? {}) as { name?: unknown; create?: unknown };
    if (typeof sa.name === 'string' && sa.create !== false) serviceAccounts.add(`${release.namespace}/${sa.name}`);
  }
  for (const role of model.iamRoles) {
    for (const sub of trustSubjects(role.trustPolicy)) {
      const match = SUB.exec(sub);
      if (!match || match[2].includes('*')) continue;
      const key = `${match[1]}/${match[2]}`;
      if (!serviceAccounts.has(key)) {
        findings.push({
          severity: 'error', code: 'irsa-missing-service-account', object: `IAM role ${role.roleName ?? role.id}`,
          message: `trust policy allows ${sub}, but no ServiceAccount ${key} exists in the manifests: pods cannot assume this role`,
          fix: `create ServiceAccount ${key} annotated with eks.amazonaws.com/role-arn, or fix the namespace/name in the trust policy`,
        });
      }
    }
  }
  for (const association of model.podIdentityAssociations) {
    const profiles = model.fargateProfiles.filter((p) => p.selectors.some((s) => s.namespace === association.namespace && (!s.labels || Object.keys(s.labels).length === 0)));
    if (profiles.length > 0 && model.nodeGroups.length === 0 && model.nodePools.length === 0 && !model.cluster?.autoMode) {
      findings.push({
        severity: 'error', code: 'pod-identity-on-fargate', object: `PodIdentityAssociation ${association.namespace}/${association.serviceAccount}`,
        message: `pods in namespace ${association.namespace} can only run on Fargate (profile ${profiles[0].name}), where EKS Pod Identity is not supported`,
        fix: 'use IRSA for Fargate pods, or run them on EC2 nodes',
      });
    }
  }
  return findings;
}

/** Every `:sub` value in StringEquals/StringLike conditions of a trust policy. */
function trustSubjects(policy: unknown): string[] {
  const out: string[] = [];
  const statements = (policy as { Statement?: unknown })?.Statement;
  for (const statement of Array.isArray(statements) ? statements : []) {
    const condition = (statement as { Condition?: Record<string, Record<string, unknown>> })?.Condition ?? {};
    for (const operator of Object.values(condition)) {
      if (!operator || typeof operator !== 'object') continue;
      for (const [key, value] of Object.entries(operator)) {
        if (!key.endsWith(':sub')) continue;
        for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') out.push(v);
      }
    }
  }
  return out;
}
