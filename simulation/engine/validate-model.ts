import { prepareNodePool } from '../autoscaling/karpenter/instance-types';
import { DEFAULT_REGION, instanceType, regionInfo } from '../catalog';
import type { ClusterModel } from '../model/cluster';
import { EksplanError } from '../model/errors';
import { assertTypedObjectsValid } from '../model/typed-objects';
import type { KarpenterEc2NodeClass, KarpenterNodePool } from '../model/kubernetes';
import { podRequests } from '../scheduler/resources';
import { admissionOf, podForWorkload, workloadsOf } from './workloads';

// A value CloudFormation resolves at deploy time (`${Token[Ref:Param]}`): not known here, so not judged.
const TOKEN = /\$\{Token\[/;

/**
 * The input checks every command runs on a model, whatever it does next (`check`, `simulate` with or without
 * a scenario, `plan`, `compare`, `validate`): workloads (replicas, pod templates, resource quantities), node
 * group instance types, and NodePools that no instance type satisfies. So one input is bad input for every
 * command, never "no findings" for one and exit 2 for another. Throws an EksplanError naming the object.
 */
export function validateModel(model: ClusterModel, region: string = model.region ?? DEFAULT_REGION): void {
  regionInfo(region, 'region');
  assertTypedObjectsValid(model);
  const admission = { ...admissionOf(model), quotas: new Map() };
  for (const workload of workloadsOf(model)) {
    const admitted = podForWorkload(workload, 0, admission);
    if ('pod' in admitted) podRequests(admitted.pod);
  }
  for (const group of model.nodeGroups) {
    group.instanceTypes.forEach((type, index) => {
      if (TOKEN.test(type)) return;
      try {
        instanceType(type);
      } catch (error) {
        if (!(error instanceof EksplanError)) throw error;
        throw new EksplanError(error.message.replace(/^instanceType: /, ''), { input: `${group.source?.file ?? model.origin}: node group ${group.source?.id ?? group.name}`, field: `InstanceTypes[${index}]` });
      }
    });
  }
  const classes = new Map(model.objects.filter((o) => o.object.kind === 'EC2NodeClass').map((o) => [o.object.metadata.name, o.object as KarpenterEc2NodeClass]));
  for (const { object, source } of model.objects) {
    if (object.kind !== 'NodePool' || !object.apiVersion.startsWith('karpenter.sh/')) continue;
    const pool = object as KarpenterNodePool;
    const where = { input: `${source.file}: NodePool ${pool.metadata.name}` };
    let types: number;
    try {
      types = prepareNodePool(pool, classes.get(pool.spec?.template?.spec?.nodeClassRef?.name ?? ''), region).types.length;
    } catch (error) {
      if (error instanceof EksplanError) throw new EksplanError(error.message, { ...where, field: 'spec' });
      throw error;
    }
    // The Karpenter controller refuses the same NodePool when a scenario runs (karpenter/controller.ts).
    if (types === 0) {
      throw new EksplanError('no instance type satisfies the requirements (Karpenter could never launch a node for this NodePool)', { ...where, field: 'spec.template.spec.requirements' });
    }
  }
}
