import type { ComputeMode, EksClusterProps, EndpointAccessMode, TeamAccess } from '../constructs/cluster/eks-cluster';
import type { ManagedNodeGroupOptions } from '../constructs/capacity/managed-node-group';
import type { NodePoolOptions } from '../constructs/capacity/node-pool';
import type { Exposure } from '../constructs/workloads/web-service';
import type { Placement } from '../constructs/workloads/options';
import type { NetworkAccess } from '../constructs/workloads/network-policy';
import { regionProblem } from '../simulation/catalog/regions';
import { EksplanError } from '../simulation/model/errors';
import { assertSpecShape } from './spec-schema';

/** One typed description of a platform; `EksPlatformStack` builds it. */
export interface PlatformSpec {
  /** Platform (and cluster) name. */
  readonly name: string;
  readonly region: string;
  /** AWS account id; a placeholder is fine for synth. @default '111111111111' */
  readonly account?: string;
  /** Explicit AZs, so synth never looks them up. @default region a, b, c */
  readonly availabilityZones?: string[];
  readonly network?: {
    readonly cidr?: string;
    readonly natGateways?: number;
    readonly expectedPods?: number;
    readonly secondaryCidr?: boolean;
  };
  readonly cluster?: {
    readonly version?: string;
    /** API endpoint: private unless public CIDRs are named (EksClusterProps documents each field). @default 'private' */
    readonly endpointAccess?: EndpointAccessMode;
    readonly publicAccessCidrs?: EksClusterProps['publicAccessCidrs'];
    readonly openPublicEndpoint?: EksClusterProps['openPublicEndpoint'];
    readonly authenticationMode?: EksClusterProps['authenticationMode'];
    readonly roleMappings?: EksClusterProps['roleMappings'];
    readonly bootstrapClusterCreatorAdminPermissions?: EksClusterProps['bootstrapClusterCreatorAdminPermissions'];
    /** Control-plane log retention in days (a CloudWatch Logs retention value). @default 90 */
    readonly logRetentionDays?: number;
    readonly adminRoleArn?: string;
    readonly teams?: TeamAccess[];
    readonly compute?: ComputeMode;
  };
  readonly vpcCni?: { readonly prefixDelegation?: boolean; readonly warmPrefixTarget?: number; readonly warmIpTarget?: number; readonly minimumIpTarget?: number };
  readonly nodeGroups?: NodeGroupSpec[];
  readonly karpenter?: { readonly identity?: 'pod-identity' | 'irsa'; readonly nodePools: NodePoolSpec[] };
  readonly addons?: { readonly loadBalancerController?: boolean; readonly metricsServer?: boolean; readonly ebsCsiDriver?: boolean };
  readonly workloads?: WorkloadSpec[];
}

/** A managed node group: the construct's options (documented there) plus a name and the system-group shorthand. */
export interface NodeGroupSpec extends Pick<ManagedNodeGroupOptions,
  'instanceTypes' | 'amiType' | 'capacityType' | 'minSize' | 'desiredSize' | 'maxSize' | 'labels' | 'taints' | 'diskSizeGiB'> {
  readonly name: string;
  /** Taint CriticalAddonsOnly=true:NoSchedule and label role=system: only add-ons and controllers run here. */
  readonly criticalAddonsOnly?: boolean;
}

/** A Karpenter NodePool: the construct's options (documented there) plus shorthands that become requirements. */
export interface NodePoolSpec extends Pick<NodePoolOptions,
  'requirements' | 'limits' | 'consolidationPolicy' | 'consolidateAfter' | 'expireAfter' | 'budgets' | 'taints' | 'weight'> {
  readonly name: string;
  readonly capacityTypes?: ('spot' | 'on-demand')[];
  readonly categories?: string[];
  readonly families?: string[];
  readonly architectures?: ('amd64' | 'arm64')[];
  readonly minGeneration?: number;
  /** Kubelet max pods of the pool's EC2NodeClass. @default 110 under prefix delegation, else Karpenter's ENI-limited value */
  readonly maxPods?: number;
}

interface WorkloadBase {
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  readonly cpu: string;
  readonly memory: string;
  readonly replicas?: number;
  readonly placement?: Placement;
  readonly autoscaling?: { minReplicas: number; maxReplicas: number; cpuUtilization?: number; requestsPerSecondPerPod?: number };
  readonly spread?: 'ScheduleAnyway' | 'DoNotSchedule' | 'none';
  /** AWS access for the pods. */
  readonly iam?: { readonly mode: 'irsa' | 'pod-identity'; readonly s3ReadBucket?: boolean; readonly sqsConsumeQueue?: boolean };
  readonly env?: Record<string, string>;
  /** Network access beyond the namespace's default deny (other namespaces in, extra egress). @default own namespace in, DNS out */
  readonly network?: NetworkAccess;
}

export type WorkloadSpec =
  | (WorkloadBase & { readonly kind: 'web'; readonly port?: number; readonly healthPath?: string; readonly exposure?: Exposure })
  | (WorkloadBase & { readonly kind: 'worker'; readonly healthCommand?: string[] })
  | (WorkloadBase & { readonly kind: 'stateful'; readonly port: number; readonly storage: string });

/** Checks the spec: its shape against the schema generated from these types, then what the constructs cannot see on their own (names unique, references resolvable). */
export function validatePlatformSpec(spec: PlatformSpec, source = 'PlatformSpec'): void {
  // Shape first (unknown keys with a "did you mean", types, unions), so a typo is never silently dropped.
  assertSpecShape(spec, source);
  const fail = (field: string, message: string): never => { throw new EksplanError(message, { input: source, field }); };
  if (!/^[a-z][a-z0-9-]{1,38}$/.test(spec.name)) fail('name', `must be 2-39 lowercase letters, digits or -, starting with a letter, got '${spec.name}'`);
  if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(spec.region)) fail('region', `must be an AWS region like us-east-1, got '${spec.region}'`);
  const regionIssue = regionProblem(spec.region);
  if (regionIssue) fail('region', regionIssue);
  if (spec.account !== undefined && !/^\d{12}$/.test(spec.account)) fail('account', `must be a 12-digit AWS account id, got '${spec.account}'`);
  for (const az of spec.availabilityZones ?? []) if (!az.startsWith(spec.region)) fail('availabilityZones', `'${az}' is not in ${spec.region}`);
  const unique = (field: string, names: string[]) => {
    const seen = new Set<string>();
    for (const name of names) { if (seen.has(name)) fail(field, `duplicate name '${name}'`); seen.add(name); }
  };
  unique('nodeGroups', (spec.nodeGroups ?? []).map((g) => g.name));
  unique('karpenter.nodePools', (spec.karpenter?.nodePools ?? []).map((p) => p.name));
  unique('workloads', (spec.workloads ?? []).map((w) => `${w.namespace}/${w.name}`));
  const pools = new Set((spec.karpenter?.nodePools ?? []).map((p) => p.name));
  const groups = new Set((spec.nodeGroups ?? []).map((g) => g.name));
  (spec.workloads ?? []).forEach((w, i) => {
    if (w.placement?.nodePool && !pools.has(w.placement.nodePool)) fail(`workloads[${i}].placement.nodePool`, `'${w.placement.nodePool}' is not a NodePool of the spec (${[...pools].join(', ') || 'none'})`);
    if (w.placement?.nodeGroup && !groups.has(w.placement.nodeGroup)) fail(`workloads[${i}].placement.nodeGroup`, `'${w.placement.nodeGroup}' is not a node group of the spec (${[...groups].join(', ') || 'none'})`);
  });
  if (spec.cluster?.compute === 'auto-mode' && ((spec.nodeGroups ?? []).length > 0 || spec.karpenter)) {
    fail('cluster.compute', "auto-mode manages nodes itself: remove nodeGroups and karpenter, or use compute: 'nodegroups'");
  }
}
