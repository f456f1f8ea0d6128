import { referencedLogicalIds, type ClusterModel, type RawResource } from '../model/cluster';
import type { Finding } from '../model/result';

// Karpenter wiring that only fails after deploy (karpenter.sh docs "Getting Started" and the
// karpenter-provider-aws cloudformation.yaml): CRDs before CRs, node classes that exist, discovery tags
// that match, the interruption queue the controller is told about, and a node role that may join.

const KARPENTER_CHART = /karpenter/i;
const KUBERNETES_RESOURCE_TYPES = new Set(['Custom::AWSCDK-EKS-KubernetesResource', 'Custom::AWSCDK-EKS-KubernetesResourceV2']);

/**
 * How a finding names a NodePool or EC2NodeClass: `Kind name`, plus the manifest file it came from when it was
 * read from plain manifests (several files may each hold an EC2NodeClass `default`; a CloudFormation stack
 * holds one cluster, where the name alone is unique).
 */
function labelOf(kind: string, name: string, source: { file: string } | undefined): string {
  return source && !source.file.endsWith('.template.json') && source.file !== '' ? `${kind} ${name} (${source.file})` : `${kind} ${name}`;
}

export function checkKarpenterWiring(model: ClusterModel): Finding[] {
  const findings: Finding[] = [];
  const { nodePools, nodeClasses } = model;
  if (nodePools.length === 0 && nodeClasses.length === 0) return findings;
  const error = (code: string, object: string, message: string, fix: string) => findings.push({ severity: 'error', code, object, message, fix });
  // Plain manifests have no subnets or security groups to match, and a cluster shape has subnets (with the
  // tags it gives) but no security groups: say once which selectors were not checked, instead of one error
  // per term that no deployment would hit.
  const checkSubnets = model.vpc !== undefined;
  // Security groups, access entries and aws-auth live in the CloudFormation templates.
  const fromTemplates = Object.keys(model.resources).length > 0;
  const checkAccess = fromTemplates || model.accessEntries.length > 0 || model.iamRoles.length > 0;
  const skipped = [...(checkSubnets ? [] : ['subnet selectors']), ...(fromTemplates ? [] : ['security-group selectors']), ...(checkAccess ? [] : ['node role access'])];
  if (skipped.length > 0 && nodeClasses.length > 0) {
    findings.push({
      severity: 'info', code: 'nodeclass-selectors-unchecked', object: nodeClasses.map((c) => labelOf('EC2NodeClass', c.name, c.source)).join(', '),
      message: `${skipped.join(', ')} not checked: the input has no ${checkSubnets ? 'CloudFormation templates' : 'VPC'} (give the CDK assembly to check them against its subnets, security groups and access entries)`,
    });
  }

  // Every NodePool's nodeClassRef names an EC2NodeClass in the assembly.
  const classNames = new Set(nodeClasses.map((c) => c.name));
  for (const pool of nodePools) {
    const ref = pool.nodeClassRef;
    const name = ref?.name;
    if (name === undefined || !classNames.has(name)) {
      error('nodepool-missing-nodeclass', labelOf('NodePool', pool.name, pool.source), `nodeClassRef '${name ?? '(none)'}' names no EC2NodeClass in the assembly; Karpenter will not launch nodes for it`,
        `create EC2NodeClass '${name}' or point nodeClassRef at one of: ${[...classNames].join(', ') || 'none'}`);
    } else if (ref?.kind !== undefined && ref.kind !== 'EC2NodeClass') {
      error('nodepool-missing-nodeclass', labelOf('NodePool', pool.name, pool.source), `nodeClassRef.kind is '${ref.kind}', expected EC2NodeClass`, 'set nodeClassRef.kind: EC2NodeClass and group: karpenter.k8s.aws');
    }
  }

  // Karpenter's AWS provider estimates every node with a 100Mi memory.available eviction threshold, but passes
  // --eviction-hard to the Windows kubelet only when the EC2NodeClass sets it, and the Windows kubelet's default is
  // 500Mi (kubernetes/kubernetes pkg/kubelet/eviction/defaults_windows.go; aws/karpenter-provider-aws#8473): each
  // Windows node has 400Mi less than Karpenter planned, and a pod within 400Mi of a type's estimate makes it launch
  // nodes the pod never fits, one after another (aws/karpenter-provider-aws#8367). The simulation does the same.
  for (const nodeClass of nodeClasses) {
    if (!nodeClass.amiFamily.startsWith('Windows') || nodeClass.kubelet.evictionHard['memory.available'] !== undefined) continue;
    findings.push({
      severity: 'warning', code: 'karpenter-windows-eviction-estimate', object: labelOf('EC2NodeClass', nodeClass.name, nodeClass.source),
      message: `${nodeClass.amiFamily} nodes reserve 500Mi for memory eviction (the Windows kubelet's default) but Karpenter plans them with 100Mi: every node has 400Mi less memory than Karpenter expects, and a pod within 400Mi of an instance type's estimate makes Karpenter launch nodes it cannot run on, in a loop`,
      fix: "set spec.kubelet.evictionHard: { memory.available: 500Mi } on the EC2NodeClass, so Karpenter's estimate and the kubelet agree",
    });
  }

  // CRDs (installed by the Karpenter Helm chart) before NodePools and EC2NodeClasses.
  const chartIds = Object.entries(model.resources).filter(([, r]) => /HelmChart/i.test(r.type) && KARPENTER_CHART.test(String(r.properties.Chart ?? r.properties.Release ?? ''))).map(([id]) => id);
  if (chartIds.length > 0) {
    for (const entry of [...nodePools, ...nodeClasses]) {
      const logicalId = entry.source.id.split(' ')[0];
      const resource = model.resources[logicalId];
      if (!resource || !KUBERNETES_RESOURCE_TYPES.has(resource.type)) continue;
      if (!chartIds.some((chart) => dependsOnTransitively(model.resources, logicalId, chart))) {
        error('karpenter-crd-order', `${entry.object.kind} ${entry.name}`,
          `the manifest (${logicalId}) does not depend on the Karpenter Helm chart (${chartIds.join(', ')}): CloudFormation may apply it before the CRDs exist`,
          'add a dependency from the manifest to the Karpenter chart (node.addDependency)');
      }
    }
  }

  // Subnet and security-group selectors match tagged resources in the assembly.
  const sgTags = Object.values(model.resources).filter((r) => r.type === 'AWS::EC2::SecurityGroup').map((r) => tagsOf(r));
  const clusterTags = model.cluster ? tagsOf(Object.values(model.resources).find((r) => r.type === 'AWS::EKS::Cluster')) : {};
  for (const nodeClass of nodeClasses) {
    const id = labelOf('EC2NodeClass', nodeClass.name, nodeClass.source);
    for (const term of checkSubnets ? nodeClass.subnetSelectorTerms : []) {
      const wanted = term?.tags;
      if (!wanted) continue;
      if (!model.subnets.some((s) => matchesTags(s.tags, wanted))) {
        error('nodeclass-subnet-selector', id, `subnetSelectorTerms tags ${JSON.stringify(wanted)} match no subnet in the assembly`, 'tag the private subnets with the same key and value');
      }
    }
    for (const term of fromTemplates ? nodeClass.securityGroupSelectorTerms : []) {
      const wanted = term?.tags;
      if (!wanted) continue;
      // EKS tags the cluster security group with the cluster's tags (EKS docs, "Amazon EKS security group requirements").
      if (!sgTags.some((tags) => matchesTags(tags, wanted)) && !matchesTags(clusterTags, wanted)) {
        error('nodeclass-sg-selector', id, `securityGroupSelectorTerms tags ${JSON.stringify(wanted)} match no security group (nor the cluster, whose tags EKS copies to its security group)`,
          'tag the cluster or a node security group with the same key and value');
      }
    }
    // The node role needs an EC2_LINUX access entry (or an aws-auth mapping) to join.
    const role = nodeClass.role;
    if (role !== undefined && model.cluster && checkAccess) {
      const roleIds = rolesNamed(model, role);
      const joined = model.accessEntries.some((entry) => entry.type === 'EC2_LINUX' && principalIsRole(entry.principal, role, roleIds));
      const mapped = model.objects.some((o) => o.object.kind === 'ConfigMap' && o.object.metadata.name === 'aws-auth' &&
        (roleIds.some((rid) => String(o.object.data?.mapRoles ?? '').includes(rid)) || String(o.object.data?.mapRoles ?? '').includes(`role/${role}`)));
      if (!joined && !mapped) {
        error('node-role-access-entry', id, `node role ${role} has no EC2_LINUX access entry (nor aws-auth mapping): its nodes cannot join the cluster`,
          'add an AWS::EKS::AccessEntry of type EC2_LINUX for the node role');
      }
    }
  }

  // The interruption queue the controller watches exists.
  for (const release of model.helmReleases) {
    if (!KARPENTER_CHART.test(release.chart)) continue;
    const settings = (release.values.settings ?? {}) as Record<string, unknown>;
    const queue = settings.interruptionQueue ?? settings.interruptionQueueName;
    if (queue === undefined) {
      findings.push({ severity: 'warning', code: 'karpenter-no-interruption-queue', object: `HelmChart ${release.release}`,
        message: 'settings.interruptionQueue is not set: spot interruptions and rebalance notices are not handled gracefully',
        fix: 'create the SQS interruption queue with its EventBridge rules and set settings.interruptionQueue' });
      continue;
    }
    const queues = Object.entries(model.resources).filter(([, r]) => r.type === 'AWS::SQS::Queue');
    const refs = referencedLogicalIds(queue);
    const matches = queues.some(([logicalId, r]) => refs.includes(logicalId) || r.properties.QueueName === queue);
    if (!matches) {
      error('karpenter-interruption-queue', `HelmChart ${release.release}`, `settings.interruptionQueue '${String(queue)}' matches no SQS queue in the assembly`,
        'pass the interruption queue\'s name from the same stack');
    }
  }
  return findings;
}

/**
 * Logical ids of the IAM roles an EC2NodeClass `role` names: a token to the role itself, or a plain role name
 * (Karpenter takes the role name, not its ARN) matched against the roles' RoleName.
 */
function rolesNamed(model: ClusterModel, role: string): string[] {
  const ids = referencedLogicalIds(role);
  for (const r of model.iamRoles) if (r.roleName !== undefined && r.roleName === role) ids.push(r.id);
  return ids;
}

/** Whether an access entry's principal ARN is that role: the same token, one of its logical ids, or `arn:…:role/<path/>name`. */
function principalIsRole(principal: string, role: string, roleIds: readonly string[]): boolean {
  if (principal === role) return true;
  if (referencedLogicalIds(principal).some((rid) => roleIds.includes(rid))) return true;
  const name = /^arn:[^:]+:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/.exec(principal)?.[1];
  return name !== undefined && name === role.split('/').pop();
}

function tagsOf(resource: RawResource | undefined): Record<string, string> {
  const tags = resource?.properties.Tags;
  const out: Record<string, string> = {};
  if (Array.isArray(tags)) {
    for (const tag of tags) if (tag && typeof tag === 'object' && 'Key' in tag) out[String(tag.Key)] = String((tag as { Value?: unknown }).Value ?? '');
  } else if (tags && typeof tags === 'object') {
    for (const [k, v] of Object.entries(tags)) out[k] = String(v);
  }
  return out;
}

function matchesTags(tags: Record<string, string>, wanted: Record<string, string>): boolean {
  // Karpenter: a tag value of "*" matches any value (karpenter.sh docs, subnetSelectorTerms).
  return Object.entries(wanted).every(([k, v]) => k in tags && (v === '*' || tags[k] === v));
}

function dependsOnTransitively(resources: Record<string, RawResource>, from: string, target: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const resource = resources[id];
    if (!resource) continue;
    const deps = [...(resource.dependsOn ?? []), ...referencedLogicalIds(resource.properties)];
    if (deps.includes(target)) return true;
    stack.push(...deps);
  }
  return false;
}
