import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadAssembly, loadInput } from '../../../simulation/assembly';
import type { ClusterModel } from '../../../simulation/model';
import { SYNTH, synthPlatform } from './synth-stack';

// An aws-eks-v2 platform synthesized in-process (synth-stack.ts), read back from its cloud assembly. Expected
// values are what synth-stack.ts declares, in the shape CloudFormation and EKS give them.

let outdir: string;
let model: ClusterModel;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-assembly-'));
  synthPlatform(outdir);
  model = loadAssembly(outdir);
});

afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

const objectNamed = (kind: string, name: string) => {
  const found = model.objects.find((o) => o.object.kind === kind && o.object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${model.objects.map((o) => o.source.id).join(', ')}`);
  return found;
};

describe('loadAssembly on a synthesized aws-eks-v2 stack', () => {
  it('reads the stack environment from manifest.json', () => {
    expect(model.stackName).toBe(SYNTH.stackName);
    expect(model.account).toBe(SYNTH.account);
    expect(model.region).toBe(SYNTH.region);
    expect(model.availabilityZones).toEqual(SYNTH.zones);
    expect(model.origin).toBe(outdir);
  });

  it('reads the VPC primary and secondary CIDRs', () => {
    expect(model.vpc?.cidrs).toEqual(['10.0.0.0/16', '100.64.0.0/16']);
    expect(model.vpc?.source?.file).toBe(`${SYNTH.stackName}.template.json`);
  });

  it.each([
    // [name prefix, cidr, zone, public, pod subnet]: the VPC's subnetConfiguration (cidrMask 24 public, 20 private)
    ['VpcPublicSubnet1', '10.0.0.0/24', 'us-east-1a', true, false],
    ['VpcPublicSubnet2', '10.0.1.0/24', 'us-east-1b', true, false],
    ['VpcPrivateSubnet1', '10.0.16.0/20', 'us-east-1a', false, false],
    ['VpcPrivateSubnet2', '10.0.32.0/20', 'us-east-1b', false, false],
    ['PodSubnet0', '100.64.0.0/18', 'us-east-1a', false, true],
    ['PodSubnet1', '100.64.64.0/18', 'us-east-1b', false, true],
  ])('subnet %s: %s in %s, public %s, pod subnet %s', (prefix, cidr, zone, isPublic, podSubnet) => {
    const subnet = model.subnets.find((s) => s.id.startsWith(prefix));
    expect(subnet).toMatchObject({ cidr, availabilityZone: zone, public: isPublic, podSubnet });
  });

  it('keeps subnet tags (the ELB role tags the load balancer controller selects on)', () => {
    expect(model.subnets.find((s) => s.id.startsWith('VpcPublicSubnet1'))?.tags['kubernetes.io/role/elb']).toBe('1');
    expect(model.subnets.find((s) => s.id.startsWith('VpcPrivateSubnet1'))?.tags['kubernetes.io/role/internal-elb']).toBe('1');
  });

  it('finds the one NAT gateway in the first public subnet', () => {
    expect(model.natGateways).toHaveLength(1);
    expect(model.natGateways[0].subnetId).toMatch(/^VpcPublicSubnet1Subnet/);
    expect(model.natGateways[0].availabilityZone).toBe('us-east-1a');
  });

  it('reads the EKS cluster', () => {
    expect(model.cluster).toMatchObject({
      name: 'demo', version: '1.34', endpointPublicAccess: true, endpointPrivateAccess: true,
      logging: ['api', 'audit'], ipFamily: 'ipv4', autoMode: false,
    });
    expect(model.cluster?.source?.id).toMatch(/^Cluster/);
  });

  it('reads the managed node group, its launch template and the nodeadm maxPods', () => {
    expect(model.nodeGroups).toHaveLength(1);
    const group = model.nodeGroups[0];
    expect(group).toMatchObject({
      name: 'system', kind: 'managed', instanceTypes: ['m6i.large', 'm6a.large'], capacityType: 'SPOT',
      minSize: 2, desiredSize: 3, maxSize: 6, labels: { role: 'system' },
      amiType: 'AL2023_x86_64_STANDARD', diskSizeGiB: 50, diskType: 'gp3', maxPods: SYNTH.maxPods, imdsv2Required: true,
    });
    // aws-eks-v2 TaintEffect.NO_SCHEDULE is the EKS API's NO_SCHEDULE, the Kubernetes NoSchedule.
    expect(group.taints).toEqual([{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }]);
    expect(group.subnetIds).toHaveLength(2);
    expect(group.subnetIds.every((id) => id.startsWith('VpcPrivateSubnet'))).toBe(true);
  });

  it('reads the vpc-cni add-on configuration into the CNI settings', () => {
    const cni = model.addons.find((a) => a.name === 'vpc-cni');
    expect(cni?.version).toBe('v1.20.4-eksbuild.1');
    expect(cni?.configuration).toEqual({ env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1', AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: 'true' } });
    // WARM_ENI_TARGET keeps its default of 1 (amazon-vpc-cni-k8s README).
    expect(model.vpcCni).toMatchObject({ prefixDelegation: true, warmPrefixTarget: 1, customNetworking: true, warmEniTarget: 1, podEni: false });
  });

  it('reads the Helm release with its values', () => {
    expect(model.helmReleases).toEqual([expect.objectContaining({
      chart: 'metrics-server', release: 'metrics-server', namespace: 'kube-system',
      repository: 'https://kubernetes-sigs.github.io/metrics-server/', version: '3.13.0',
      values: { replicas: 2, args: ['--kubelet-insecure-tls'] },
    })]);
  });

  it('keeps every Kubernetes object of every manifest, with its source', () => {
    expect(model.objects.map((o) => `${o.object.kind} ${o.object.metadata.name}`).sort())
      .toEqual(['Deployment web', 'HorizontalPodAutoscaler web', 'Ingress web', 'NodePool default']);
    expect(objectNamed('Deployment', 'web').source.id).toMatch(/^ClustermanifestWeb\w+ Deployment default\/web$/);
  });

  it('resolves tokens inside manifests to values or stable placeholders', () => {
    const env = objectNamed('Deployment', 'web').object.spec.template.spec.containers[0].env as { name: string; value: string }[];
    const value = (name: string) => env.find((e) => e.name === name)?.value;
    expect(value('REGION')).toBe('us-east-1');
    expect(value('FIRST_AZ')).toBe('us-east-1a');
    expect(value('VPC')).toBe('${Token[Ref:Vpc8378EB38]}');
    expect(value('CLUSTER')).toMatch(/^\$\{Token\[Ref:Cluster[0-9A-F]+\]\}$/);
    expect(objectNamed('Deployment', 'web').object.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' } });
  });

  it('resolves a list of AZ tokens inside a NodePool requirement', () => {
    const pool = objectNamed('NodePool', 'default').object;
    expect(pool.spec.template.spec.requirements).toEqual([{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-east-1a', 'us-east-1b'] }]);
    expect(pool.spec.limits).toEqual({ cpu: '100' });
  });

  it('reads the HPA', () => {
    const hpa = objectNamed('HorizontalPodAutoscaler', 'web').object;
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 12, scaleTargetRef: { kind: 'Deployment', name: 'web' } });
  });

  it('derives one internet-facing ALB in IngressGroup shared from the Ingress', () => {
    expect(model.loadBalancers).toEqual([expect.objectContaining({ kind: 'alb', scheme: 'internet-facing', owner: 'Ingress default/web', group: 'shared' })]);
  });

  it('keeps IAM roles, access entries and the raw resources by logical id', () => {
    expect(model.iamRoles.length).toBeGreaterThan(0);
    expect(model.iamRoles.every((r) => r.trustPolicy !== undefined)).toBe(true);
    expect(model.accessEntries.some((e) => e.accessPolicies.some((p) => p.policyArn.endsWith('AmazonEKSClusterAdminPolicy')))).toBe(true);
    const raw = model.resources[model.cluster?.source?.id ?? ''];
    expect(raw.type).toBe('AWS::EKS::Cluster');
    expect(raw.file).toBe(`${SYNTH.stackName}.template.json`);
  });

  it('selects the stack by name, and loadInput detects the assembly directory', () => {
    expect(loadAssembly(outdir, { stack: SYNTH.stackName }).cluster?.name).toBe('demo');
    expect(loadInput(outdir).nodeGroups[0].name).toBe('system');
  });

  it('fails when the stack option names no stack, listing the stacks', () => {
    expect(() => loadAssembly(outdir, { stack: 'Nope' })).toThrow(`has no stack 'Nope'; stacks: ${SYNTH.stackName}`);
  });
});
