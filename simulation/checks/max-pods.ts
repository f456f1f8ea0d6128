import { hasInstanceType, instanceType } from '../catalog';
import type { ClusterModel } from '../model/cluster';
import type { Finding } from '../model/result';
import { eniMaxPods, maxPods } from '../network';

// Max pods as each component really computes it, against what the VPC CNI can hand out:
// - AL2023 nodeadm: maxPods from the ENI formula unless the launch template's NodeConfig sets it
//   (awslabs/amazon-eks-ami nodeadm/internal/kubelet/eni_max_pods.go); prefix delegation is not considered.
// - Karpenter: ENI-limited pods without prefix delegation unless EC2NodeClass kubelet.maxPods is set
//   (aws/karpenter-provider-aws pkg/providers/instancetype/types.go ENILimitedPods).
// - Cluster Autoscaler's AWS template node when scaling from zero: 110 pods
//   (autoscaler/cluster-autoscaler/cloudprovider/aws/aws_manager.go buildNodeFromTemplate).
const CA_TEMPLATE_PODS = 110;

export function checkMaxPods(model: ClusterModel): Finding[] {
  const findings: Finding[] = [];
  const pd = model.vpcCni.prefixDelegation;
  const custom = model.vpcCni.customNetworking;
  for (const group of model.nodeGroups) {
    const object = `NodeGroup ${group.name}`;
    for (const type of group.instanceTypes) {
      if (!hasInstanceType(type)) continue;
      const supply = maxPods(type, { prefixDelegation: pd, customNetworking: custom, cap: false });
      const kubelet = group.maxPods ?? eniMaxPods(type);
      if (kubelet > supply) {
        findings.push({
          severity: 'error', code: 'max-pods-above-cni', object,
          message: `${type}: kubelet maxPods ${kubelet} but the VPC CNI can assign only ${supply} pod IPs (${pd ? 'prefix delegation' : 'secondary IPs'}${custom ? ', custom networking' : ''}); ` +
            `pods beyond ${supply} stay ContainerCreating`,
          fix: pd ? `set maxPods to at most ${supply}` : `enable prefix delegation in the vpc-cni add-on, or set maxPods to ${supply}`,
        });
      } else if (pd && group.maxPods === undefined) {
        const recommended = maxPods(type, { prefixDelegation: true, customNetworking: custom });
        if (recommended > kubelet) {
          findings.push({
            severity: 'warning', code: 'max-pods-below-prefix-delegation', object,
            message: `${type}: prefix delegation is on, but the nodes keep the ENI max pods ${kubelet} (nodeadm ignores prefix delegation); they could run ${recommended}`,
            fix: `set kubelet maxPods ${recommended} in the launch template NodeConfig`,
          });
        }
      }
      if (group.minSize === 0 && kubelet < CA_TEMPLATE_PODS && group.kind === 'managed') {
        findings.push({
          severity: 'warning', code: 'ca-template-max-pods', object,
          message: `${type}: scaling from zero, Cluster Autoscaler's template node assumes ${CA_TEMPLATE_PODS} pods but the nodes run ${kubelet}; scale-ups can undershoot`,
          fix: `tag the node group's ASG with k8s.io/cluster-autoscaler/node-template/resources/pods=${kubelet}, or keep minSize ≥ 1`,
        });
      }
    }
  }
  for (const nodeClass of model.nodeClasses) {
    const kubeletMaxPods = nodeClass.kubelet.maxPods;
    const id = `EC2NodeClass ${nodeClass.name}`;
    if (pd && kubeletMaxPods === undefined) {
      findings.push({
        severity: 'warning', code: 'karpenter-max-pods-without-prefix-delegation', object: id,
        message: 'prefix delegation is on in the vpc-cni add-on, but Karpenter sizes nodes with ENI-limited max pods unless kubelet.maxPods is set; nodes will hold fewer pods than the CNI allows',
        fix: 'set spec.kubelet.maxPods (110 for nodes up to 30 vCPU, 250 above) in the EC2NodeClass',
      });
    }
    if (kubeletMaxPods !== undefined && !pd) {
      const smallest = smallestEniPods(model);
      if (smallest !== undefined && kubeletMaxPods > smallest.pods) {
        findings.push({
          severity: 'error', code: 'max-pods-above-cni', object: id,
          message: `kubelet.maxPods ${kubeletMaxPods} exceeds what the VPC CNI supplies without prefix delegation (${smallest.type}: ${smallest.pods})`,
          fix: 'enable prefix delegation, or restrict the NodePool to instance types whose ENI limit covers maxPods, or lower maxPods',
        });
      }
    }
  }
  return findings;
}

function smallestEniPods(model: ClusterModel): { type: string; pods: number } | undefined {
  let smallest: { type: string; pods: number } | undefined;
  for (const pool of model.nodePools) {
    const types = pool.requirements.find((r) => r.key === 'node.kubernetes.io/instance-type' && r.operator === 'In')?.values ?? [];
    for (const type of types) {
      if (!hasInstanceType(type)) continue;
      const pods = eniMaxPods(instanceType(type).name);
      if (!smallest || pods < smallest.pods) smallest = { type, pods };
    }
  }
  return smallest;
}
