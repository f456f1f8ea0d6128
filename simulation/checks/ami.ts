import type { ClusterModel } from '../model/cluster';
import type { Finding } from '../model/result';

// Amazon Linux 2 node images and the cluster's Kubernetes version.
// - EKS publishes no EKS-optimized AL2 AMIs for Kubernetes 1.33 and later (EKS docs, "Amazon Linux 2 end of
//   support"; awslabs/amazon-eks-ami releases stop building AL2 at 1.32), so CreateNodegroup with an AL2_* AMI
//   type fails at deploy and Karpenter finds no AMI for an `al2@` alias or amiFamily AL2.
// - Both aws-cdk-lib EKS modules write that AMI type when a node group gives instanceTypes and no amiType:
//   aws-eks and aws-eks-v2 `Nodegroup` take the first of `getPossibleAmiTypes()`, which is AL2_x86_64
//   (AL2_ARM_64 for Graviton, AL2_x86_64_GPU for GPU types) unless the `@aws-cdk/aws-eks:defaultToAL2023`
//   feature flag is on (aws-cdk-lib 2.276 aws-eks-v2/lib/managed-nodegroup.ts).

/** First Kubernetes minor without EKS-optimized AL2 AMIs. */
export const LAST_AL2_MINOR = 32;

function minorOf(version: string | undefined): number | undefined {
  const match = /^1\.(\d+)/.exec(version ?? '');
  return match ? Number(match[1]) : undefined;
}

/** The AL2023 (or Bottlerocket) AMI type that replaces an AL2 one. */
function replacementFor(amiType: string): string {
  if (amiType === 'AL2_ARM_64') return 'AL2023_ARM_64_STANDARD (or BOTTLEROCKET_ARM_64)';
  if (amiType === 'AL2_x86_64_GPU') return 'AL2023_x86_64_NVIDIA (or AL2023_x86_64_NEURON, BOTTLEROCKET_x86_64_NVIDIA)';
  return 'AL2023_x86_64_STANDARD (or BOTTLEROCKET_x86_64)';
}

export function checkAmiTypes(model: ClusterModel): Finding[] {
  const version = model.cluster?.version;
  const minor = minorOf(version);
  if (minor === undefined) return [];
  const unsupported = minor > LAST_AL2_MINOR;
  const findings: Finding[] = [];
  for (const group of model.nodeGroups) {
    if (group.kind !== 'managed' || !group.amiType.startsWith('AL2_')) continue;
    findings.push({
      severity: unsupported ? 'error' : 'warning', code: 'al2-ami', object: `NodeGroup ${group.name}`,
      message: unsupported
        ? `amiType ${group.amiType} on Kubernetes ${version}: EKS publishes no AL2 AMIs from 1.33, so creating this node group fails at deploy ` +
          '(aws-eks and aws-eks-v2 Nodegroup write AL2 when instanceTypes are given without amiType and the @aws-cdk/aws-eks:defaultToAL2023 flag is off)'
        : `amiType ${group.amiType}: AL2 AMIs end with Kubernetes 1.32; upgrading this cluster to 1.33 fails for this node group`,
      fix: `set amiType ${replacementFor(group.amiType)} on the node group, or turn on the feature flag @aws-cdk/aws-eks:defaultToAL2023 in cdk.json`,
    });
  }
  for (const nodeClass of model.nodeClasses) {
    if (nodeClass.amiFamily !== 'AL2') continue;
    findings.push({
      severity: unsupported ? 'error' : 'warning', code: 'al2-ami', object: `EC2NodeClass ${nodeClass.name}`,
      message: unsupported
        ? `${nodeClass.amiAlias ? `amiSelectorTerms alias ${nodeClass.amiAlias}` : 'amiFamily AL2'} on Kubernetes ${version}: there is no AL2 AMI for 1.33+, so Karpenter resolves no AMI and launches no node`
        : `${nodeClass.amiAlias ? `alias ${nodeClass.amiAlias}` : 'amiFamily AL2'}: AL2 AMIs end with Kubernetes 1.32; upgrading to 1.33 leaves this EC2NodeClass with no AMI`,
      fix: 'use amiSelectorTerms: [{ alias: al2023@latest }] (or bottlerocket@latest), pinned to a version for production',
    });
  }
  return findings;
}
