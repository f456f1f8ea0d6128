import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct, type IDependable } from 'constructs';
import { parseDurationSeconds } from '../../simulation/model/duration';
import { parseQuantity } from '../../simulation/model/quantity';
import { constructError } from '../errors';
import type { NodeTaint } from './managed-node-group';

export type RequirementOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

export interface NodePoolRequirement {
  readonly key: string;
  readonly operator: RequirementOperator;
  readonly values?: string[];
  /** Karpenter v1 minValues: at least this many distinct values must stay possible. */
  readonly minValues?: number;
}

export interface DisruptionBudget {
  /** Nodes that may be disrupted at once: a count or a percentage, e.g. '10%'. */
  readonly nodes: string;
  /** Cron schedule when the budget is active. @default always */
  readonly schedule?: string;
  /** How long the budget is active after each schedule hit. @default always */
  readonly duration?: string;
  /** Reasons the budget applies to: Underutilized, Empty, Drifted. @default all */
  readonly reasons?: ('Underutilized' | 'Empty' | 'Drifted')[];
}

export interface NodePoolOptions {
  /** Name of the NodePool object. @default the construct id in kebab case */
  readonly name?: string;
  /** The EC2NodeClass nodes of this pool use. */
  readonly nodeClassName: string;
  /** Scheduling requirements on well-known labels (capacity type, instance category/family/size, arch, zone). */
  readonly requirements?: NodePoolRequirement[];
  /** Resource limits of the pool as Kubernetes quantities, e.g. { cpu: '1000', memory: '1000Gi' }. @default no limits */
  readonly limits?: Record<string, string>;
  /** @default 'WhenEmptyOrUnderutilized' */
  readonly consolidationPolicy?: 'WhenEmpty' | 'WhenEmptyOrUnderutilized';
  /** How long a node must be consolidatable before Karpenter acts. @default '1m' */
  readonly consolidateAfter?: string;
  /** Node lifetime before replacement. @default '720h' */
  readonly expireAfter?: string;
  /** @default [{ nodes: '10%' }] */
  readonly budgets?: DisruptionBudget[];
  readonly taints?: NodeTaint[];
  readonly startupTaints?: NodeTaint[];
  /** Labels on the nodes. @default none */
  readonly labels?: Record<string, string>;
  /** Priority among NodePools, 1-100 (higher first). @default none */
  readonly weight?: number;
}

export interface NodePoolProps extends NodePoolOptions {
  readonly cluster: eks.ICluster;
  /** Created before this NodePool (the Karpenter chart that installs the CRDs). */
  readonly dependsOn?: IDependable[];
}

const OPERATORS: RequirementOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];
const BUDGET_NODES = /^(\d+|\d+%)$/;

/** A Karpenter v1 NodePool (`karpenter.sh/v1`), validated, applied after the Karpenter CRDs. */
export class NodePool extends Construct {
  public readonly name: string;
  public readonly manifest: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    this.name = props.name ?? kebab(id);
    validateName(this, 'name', this.name);
    for (const [index, req] of (props.requirements ?? []).entries()) {
      const field = `requirements[${index}]`;
      if (!OPERATORS.includes(req.operator)) throw constructError(this, `${field}.operator`, `must be one of ${OPERATORS.join(', ')}, got '${req.operator}'`);
      if ((req.operator === 'In' || req.operator === 'NotIn') && (req.values ?? []).length === 0) throw constructError(this, `${field}.values`, `must not be empty for ${req.operator}`);
      if ((req.operator === 'Gt' || req.operator === 'Lt') && ((req.values ?? []).length !== 1 || !/^\d+$/.test(req.values?.[0] ?? ''))) {
        throw constructError(this, `${field}.values`, `${req.operator} needs exactly one integer value`);
      }
      if (req.minValues !== undefined && (!Number.isInteger(req.minValues) || req.minValues < 1 || req.minValues > 50)) throw constructError(this, `${field}.minValues`, 'must be 1 to 50');
    }
    for (const [resource, quantity] of Object.entries(props.limits ?? {})) {
      try {
        parseQuantity(quantity);
      } catch {
        throw constructError(this, `limits.${resource}`, `must be a Kubernetes quantity such as '1000', '500m' or '1000Gi', got '${quantity}'`);
      }
    }
    const consolidateAfter = props.consolidateAfter ?? '1m';
    const expireAfter = props.expireAfter ?? '720h';
    checkDuration(this, 'consolidateAfter', consolidateAfter);
    checkDuration(this, 'expireAfter', expireAfter);
    if (props.weight !== undefined && (!Number.isInteger(props.weight) || props.weight < 1 || props.weight > 100)) throw constructError(this, 'weight', `must be an integer from 1 to 100, got ${props.weight}`);
    const budgets = props.budgets ?? [{ nodes: '10%' }];
    budgets.forEach((budget, index) => {
      if (!BUDGET_NODES.test(budget.nodes)) throw constructError(this, `budgets[${index}].nodes`, `must be a count or a percentage like '10%', got '${budget.nodes}'`);
      if ((budget.schedule === undefined) !== (budget.duration === undefined)) throw constructError(this, `budgets[${index}]`, 'schedule and duration go together');
      if (budget.duration !== undefined) checkDuration(this, `budgets[${index}].duration`, budget.duration);
    });

    this.manifest = {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: this.name },
      spec: {
        template: {
          ...(props.labels ? { metadata: { labels: props.labels } } : {}),
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: props.nodeClassName },
            requirements: (props.requirements ?? []).map((r) => ({ key: r.key, operator: r.operator, ...(r.values ? { values: r.values } : {}), ...(r.minValues ? { minValues: r.minValues } : {}) })),
            expireAfter,
            ...(props.taints?.length ? { taints: props.taints } : {}),
            ...(props.startupTaints?.length ? { startupTaints: props.startupTaints } : {}),
          },
        },
        disruption: { consolidationPolicy: props.consolidationPolicy ?? 'WhenEmptyOrUnderutilized', consolidateAfter, budgets },
        ...(props.limits ? { limits: props.limits } : {}),
        ...(props.weight !== undefined ? { weight: props.weight } : {}),
      },
    };
    const manifest = props.cluster.addManifest(`NodePool-${this.name}`, this.manifest);
    for (const dependency of props.dependsOn ?? []) manifest.node.addDependency(dependency);
  }
}

export function kebab(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[^A-Za-z0-9-]/g, '-').toLowerCase();
}

export function validateName(scope: Construct, prop: string, name: string): void {
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) throw constructError(scope, prop, `must be a DNS-1123 label (lowercase letters, digits, -), got '${name}'`);
}

function checkDuration(scope: Construct, prop: string, value: string): void {
  try {
    parseDurationSeconds(value);
  } catch {
    throw constructError(scope, prop, `must be a duration like '30s', '5m' or '720h' (or 'Never'), got '${value}'`);
  }
}
