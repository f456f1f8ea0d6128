import { referencedLogicalIds, type ClusterModel, type IamRoleModel } from '../model/cluster';
import type { Finding } from '../model/result';

// Security settings that cdk-nag cannot see on aws-eks-v2 (its EKS1/EKS2 rules read only the aws-eks
// module's resources), checked on the synthesized model as the EKS Best Practices guide (security) states them:
// - the API endpoint: EKS applies 0.0.0.0/0 to a public endpoint when no PublicAccessCidrs are given
//   (EKS API VpcConfigRequest.publicAccessCidrs);
// - control-plane logs: audit and authenticator are the security record ("Detective controls");
// - authentication: CONFIG_MAP alone means aws-auth only, no access entries (EKS API AccessConfig);
// - secrets: envelope encryption with a customer managed KMS key (EncryptionConfig);
// - IMDS: IMDSv2 required and a hop limit of 1 keep pods off the node role's credentials ("Restrict access to
//   the instance profile assigned to the worker node"); Karpenter's EC2NodeClass defaults to both
//   (aws/karpenter-provider-aws pkg/apis/v1/ec2nodeclass.go MetadataOptions defaults);
// - node roles: only the node policies; AmazonEKS_CNI_Policy belongs on aws-node's IRSA role ("Update the
//   aws-node daemonset to use IRSA"), administrator-like policies nowhere near a node;
// - internet-facing ALBs: an HTTPS listener with a certificate (AWS Load Balancer Controller
//   docs/guide/ingress/annotations.md: listen-ports defaults to HTTPS 443 with certificate-arn, else HTTP 80; a
//   certificate comes from certificate-arn or is discovered from the Ingress's spec.tls hosts).

const SECURITY_LOG_TYPES = ['audit', 'authenticator'];
const ALL_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
/** AWS managed policies that give a node (and every pod that reaches its credentials) far more than a node needs. */
const BROAD_POLICIES = ['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess', 'AmazonEC2FullAccess', 'AmazonS3FullAccess', 'AmazonEKSClusterPolicy', 'AmazonEKSServicePolicy'];
const CNI_POLICY = 'AmazonEKS_CNI_Policy';

export function checkSecurity(model: ClusterModel): Finding[] {
  return [...clusterFindings(model), ...imdsFindings(model), ...nodeRoleFindings(model), ...plainHttpIngresses(model)];
}

function clusterFindings(model: ClusterModel): Finding[] {
  const cluster = model.cluster;
  if (!cluster) return [];
  const object = `Cluster ${cluster.name}`;
  const findings: Finding[] = [];
  if (cluster.endpointPublicAccess) {
    const cidrs = cluster.publicAccessCidrs ?? [];
    const open = cidrs.length === 0 ? ['0.0.0.0/0 (the EKS default when no CIDRs are given)'] : cidrs.filter((c) => c === '0.0.0.0/0' || c === '::/0');
    if (open.length > 0) {
      findings.push({
        severity: 'error', code: 'endpoint-public-to-internet', object,
        message: `the Kubernetes API endpoint is public to ${open.join(', ')}: anyone on the internet can reach the API server and try credentials against it`,
        fix: 'make the endpoint private (endpointAccess \'private\'), or list the CIDRs that need it in publicAccessCidrs',
      });
    }
  }
  const missing = ALL_LOG_TYPES.filter((type) => !cluster.logging.includes(type));
  if (missing.length > 0) {
    const securityMissing = missing.filter((type) => SECURITY_LOG_TYPES.includes(type));
    findings.push({
      severity: securityMissing.length > 0 ? 'error' : 'warning', code: 'control-plane-logging-off', object,
      message: `control-plane log types ${missing.join(', ')} are off${securityMissing.length > 0 ? `; without ${securityMissing.join(' and ')} logs nobody can tell who did what to the cluster` : ''}`,
      fix: `enable ${missing.join(', ')} in Logging.ClusterLogging (EksCluster logs all five by default)`,
    });
  }
  if (cluster.authenticationMode === 'CONFIG_MAP') {
    findings.push({
      severity: 'warning', code: 'authentication-mode-config-map', object,
      message: 'authentication mode CONFIG_MAP: access is granted only through the aws-auth ConfigMap, which any cluster admin can edit and CloudTrail does not record; access entries are unavailable',
      fix: "set AccessConfig.AuthenticationMode to 'API' (or 'API_AND_CONFIG_MAP' while migrating aws-auth mappings to access entries)",
    });
  }
  if (!cluster.secretsEncryption) {
    findings.push({
      severity: 'warning', code: 'secrets-encryption-off', object,
      message: 'Kubernetes secrets are not envelope-encrypted with a customer managed KMS key: you cannot audit, rotate or revoke the key that protects them',
      fix: 'set EncryptionConfig with a KMS key for ["secrets"] (EksCluster does so with a rotating key)',
    });
  }
  return findings;
}

function imdsFindings(model: ClusterModel): Finding[] {
  const findings: Finding[] = [];
  for (const group of model.nodeGroups) {
    const object = `NodeGroup ${group.name}`;
    if (group.imdsv2Required !== true) {
      findings.push({
        severity: 'error', code: 'imdsv1-allowed', object,
        message: 'IMDSv1 is not blocked: the launch template does not require session tokens (HttpTokens), so an SSRF in any pod can read the node role\'s credentials',
        fix: 'set MetadataOptions.HttpTokens to required in the launch template',
      });
    }
    if (group.imdsHopLimit !== undefined && group.imdsHopLimit > 1) {
      findings.push(hopLimitFinding(object, group.imdsHopLimit, 'MetadataOptions.HttpPutResponseHopLimit in the launch template'));
    }
  }
  for (const { object } of model.objects) {
    if (object.kind !== 'EC2NodeClass') continue;
    const id = `EC2NodeClass ${object.metadata.name}`;
    const options = (object.spec?.metadataOptions ?? {}) as { httpTokens?: unknown; httpPutResponseHopLimit?: unknown; httpEndpoint?: unknown };
    if (options.httpEndpoint === 'disabled') continue;
    if (options.httpTokens === 'optional') {
      findings.push({
        severity: 'error', code: 'imdsv1-allowed', object: id,
        message: 'metadataOptions.httpTokens is optional: IMDSv1 answers without a token, so an SSRF in any pod can read the node role\'s credentials',
        fix: 'set spec.metadataOptions.httpTokens to required (Karpenter\'s default)',
      });
    }
    const hops = typeof options.httpPutResponseHopLimit === 'number' ? options.httpPutResponseHopLimit : 1;
    if (hops > 1) findings.push(hopLimitFinding(id, hops, 'spec.metadataOptions.httpPutResponseHopLimit'));
  }
  return findings;
}

function hopLimitFinding(object: string, hops: number, field: string): Finding {
  return {
    severity: 'warning', code: 'imds-hop-limit', object,
    message: `IMDS hop limit ${hops}: pods in their own network namespace reach the instance metadata service and the node role's credentials`,
    fix: `set ${field} to 1 and give pods their own IAM roles (IRSA or Pod Identity); keep 2 only for nodes whose pods must call IMDS`,
  };
}

/** Node roles: managed node groups' NodeRole, EC2_LINUX access entries, and EC2NodeClass spec.role. */
function nodeRoles(model: ClusterModel): Map<string, string> {
  const roles = new Map<string, string>();
  const byId = new Map(model.iamRoles.map((r) => [r.id, r]));
  const add = (value: unknown, user: string) => {
    for (const id of referencedLogicalIds(value)) if (byId.has(id) && !roles.has(id)) roles.set(id, user);
    if (typeof value === 'string') for (const role of model.iamRoles) if (role.roleName === value && !roles.has(role.id)) roles.set(role.id, user);
  };
  for (const group of model.nodeGroups) {
    const raw = group.source ? model.resources[group.source.id] : undefined;
    if (raw?.type === 'AWS::EKS::Nodegroup') add(raw.properties.NodeRole, `NodeGroup ${group.name}`);
  }
  for (const entry of model.accessEntries) if (entry.type === 'EC2_LINUX' || entry.type === 'EC2_WINDOWS') add(entry.principal, `access entry ${entry.type}`);
  for (const { object } of model.objects) if (object.kind === 'EC2NodeClass') add(object.spec?.role, `EC2NodeClass ${object.metadata.name}`);
  return roles;
}

function nodeRoleFindings(model: ClusterModel): Finding[] {
  const findings: Finding[] = [];
  const byId = new Map(model.iamRoles.map((r) => [r.id, r]));
  for (const [id, user] of nodeRoles(model)) {
    const role = byId.get(id) as IamRoleModel;
    const object = `IAM role ${role.roleName ?? role.id}`;
    const names = role.managedPolicyArns.map((arn) => /:policy\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1] ?? arn);
    const broad = names.filter((name) => BROAD_POLICIES.includes(name));
    if (broad.length > 0) {
      findings.push({
        severity: 'error', code: 'node-role-broad-policy', object,
        message: `the node role of ${user} has ${broad.join(', ')}: every pod that reaches the node's credentials gets it too`,
        fix: `remove ${broad.join(', ')} from the node role; give the pods that need AWS access their own roles (IRSA or Pod Identity)`,
      });
    }
    if (names.includes(CNI_POLICY)) {
      findings.push({
        severity: 'warning', code: 'node-role-cni-policy', object,
        message: `the node role of ${user} has ${CNI_POLICY}: any pod that reaches the node's credentials can create, attach and delete network interfaces and IP addresses`,
        fix: `give aws-node its own IRSA role with ${CNI_POLICY} (vpc-cni add-on ServiceAccountRoleArn) and remove the policy from the node role`,
      });
    }
  }
  return findings;
}

function plainHttpIngresses(model: ClusterModel): Finding[] {
  const findings: Finding[] = [];
  for (const { object } of model.objects) {
    if (object.kind !== 'Ingress') continue;
    const annotations = object.metadata.annotations ?? {};
    if (annotations['alb.ingress.kubernetes.io/scheme'] !== 'internet-facing') continue;
    const certificate = annotations['alb.ingress.kubernetes.io/certificate-arn'] !== undefined || (Array.isArray(object.spec?.tls) && object.spec.tls.length > 0);
    const listenPorts = annotations['alb.ingress.kubernetes.io/listen-ports'] ?? (annotations['alb.ingress.kubernetes.io/certificate-arn'] !== undefined ? '[{"HTTPS":443}]' : '[{"HTTP":80}]');
    const https = certificate && listenPorts.includes('HTTPS');
    if (https) continue;
    findings.push({
      severity: 'warning', code: 'alb-plain-http', object: `Ingress ${object.metadata.namespace ?? 'default'}/${object.metadata.name}`,
      message: 'the internet-facing ALB listens on plain HTTP only: requests and responses cross the internet unencrypted',
      fix: 'add an ACM certificate (alb.ingress.kubernetes.io/certificate-arn), listen on HTTPS 443 and redirect HTTP (ssl-redirect: \'443\'); WebService does so with exposure.certificateArn',
    });
  }
  return findings;
}
