import type { ClusterModel, NodeGroupModel } from '../../simulation/model/cluster';
import type { LiveCluster, LiveNodegroup } from './describe';

export type DriftKind = 'version' | 'addon' | 'nodegroup' | 'access-entry' | 'logging' | 'endpoint' | 'pod-identity' | 'fargate';

export interface Drift {
  readonly kind: DriftKind;
  readonly object: string;
  readonly planned: string;
  readonly live: string;
}

const TOKEN = /\$\{Token\[/;

/** Differences between the synthesized plan and a live cluster: what `cdk deploy` would change, or what drifted. */
export function diffPlanAndLive(model: ClusterModel, live: LiveCluster): Drift[] {
  const drifts: Drift[] = [];
  const cluster = model.cluster;
  if (!cluster) return drifts;
  const add = (kind: DriftKind, object: string, planned: string, actual: string) => drifts.push({ kind, object, planned, live: actual });

  if (cluster.version !== live.version) add('version', `cluster ${live.name}`, cluster.version, live.version);
  if (cluster.endpointPublicAccess !== live.endpointPublicAccess || cluster.endpointPrivateAccess !== live.endpointPrivateAccess) {
    add('endpoint', `cluster ${live.name}`, endpointText(cluster.endpointPublicAccess, cluster.endpointPrivateAccess), endpointText(live.endpointPublicAccess, live.endpointPrivateAccess));
  }
  const plannedLogs = [...cluster.logging].sort().join(',');
  if (plannedLogs !== live.logging.join(',')) add('logging', `cluster ${live.name}`, plannedLogs || 'none', live.logging.join(',') || 'none');

  // Add-ons: a planned version is compared when it is pinned; a missing or extra add-on is drift.
  const liveAddons = new Map(live.addons.map((a) => [a.name, a.version]));
  for (const addon of model.addons) {
    const actual = liveAddons.get(addon.name);
    if (actual === undefined) add('addon', `addon ${addon.name}`, addon.version ?? 'installed', 'missing');
    else if (addon.version && !TOKEN.test(addon.version) && addon.version !== actual) add('addon', `addon ${addon.name}`, addon.version, actual);
  }
  const plannedAddonNames = new Set(model.addons.map((a) => a.name));
  for (const addon of live.addons) if (!plannedAddonNames.has(addon.name)) add('addon', `addon ${addon.name}`, 'absent', addon.version);

  // Node groups: CloudFormation names unnamed node groups `<logicalId>-<suffix>`.
  const unmatched = new Set(live.nodegroups.map((n) => n.name));
  for (const group of model.nodeGroups.filter((g) => g.kind === 'managed')) {
    const match = matchNodegroup(group, live.nodegroups.filter((n) => unmatched.has(n.name)));
    if (!match) { add('nodegroup', `nodegroup ${group.name}`, 'present', 'missing'); continue; }
    unmatched.delete(match.name);
    const object = `nodegroup ${match.name}`;
    if ([...group.instanceTypes].sort().join(',') !== [...match.instanceTypes].sort().join(',')) add('nodegroup', object, `instance types ${group.instanceTypes.join(',')}`, `instance types ${match.instanceTypes.join(',')}`);
    if (group.capacityType !== match.capacityType) add('nodegroup', object, `capacity ${group.capacityType}`, `capacity ${match.capacityType}`);
    if (group.minSize !== match.minSize || group.maxSize !== match.maxSize) add('nodegroup', object, `min ${group.minSize} max ${group.maxSize}`, `min ${match.minSize} max ${match.maxSize}`);
    if (group.desiredSize !== match.desiredSize) add('nodegroup', object, `desired ${group.desiredSize}`, `desired ${match.desiredSize}`);
    if (match.amiType && group.amiType && group.amiType !== match.amiType) add('nodegroup', object, `AMI type ${group.amiType}`, `AMI type ${match.amiType}`);
  }
  for (const name of [...unmatched].sort()) add('nodegroup', `nodegroup ${name}`, 'absent', 'present');

  // Access entries: literal principals compared one by one; token principals by count.
  const livePrincipals = new Set(live.accessEntries.map((e) => e.principalArn));
  const literal = model.accessEntries.filter((e) => !TOKEN.test(e.principal));
  for (const entry of literal) if (!livePrincipals.has(entry.principal)) add('access-entry', `access entry ${entry.principal}`, 'present', 'missing');
  const plannedCount = model.accessEntries.length;
  // EKS adds entries of its own (the cluster creator, node roles of managed node groups) — only fewer than planned is drift.
  if (live.accessEntries.length < plannedCount) add('access-entry', 'access entries', `${plannedCount} entries`, `${live.accessEntries.length} entries`);

  const liveAssociations = new Set(live.podIdentityAssociations.map((a) => `${a.namespace}/${a.serviceAccount}`));
  for (const association of model.podIdentityAssociations) {
    const key = `${association.namespace}/${association.serviceAccount}`;
    if (!liveAssociations.has(key)) add('pod-identity', `pod identity ${key}`, 'present', 'missing');
  }
  const liveProfiles = new Set(live.fargateProfiles);
  for (const profile of model.fargateProfiles) if (!TOKEN.test(profile.name) && !liveProfiles.has(profile.name)) add('fargate', `fargate profile ${profile.name}`, 'present', 'missing');
  return drifts;
}

function endpointText(publicAccess: boolean, privateAccess: boolean): string {
  return [publicAccess ? 'public' : '', privateAccess ? 'private' : ''].filter(Boolean).join('+') || 'none';
}

function matchNodegroup(group: NodeGroupModel, candidates: LiveNodegroup[]): LiveNodegroup | undefined {
  const exact = candidates.find((n) => n.name === group.name);
  if (exact) return exact;
  const logicalId = group.source?.id;
  if (logicalId) {
    const generated = candidates.find((n) => n.name.startsWith(`${logicalId}-`) || n.name === logicalId);
    if (generated) return generated;
  }
  // Fall back to the labels the plan gives the group.
  const labelled = Object.keys(group.labels).length > 0 ? candidates.filter((n) => Object.entries(group.labels).every(([k, v]) => n.labels[k] === v)) : [];
  return labelled.length === 1 ? labelled[0] : undefined;
}

export function renderDrift(drifts: readonly Drift[], clusterName: string): string {
  if (drifts.length === 0) return `eksplan live: ${clusterName} matches the plan (no drift)\n`;
  const lines = drifts.map((d) => `  ${d.kind.padEnd(12)} ${d.object}: planned ${d.planned}, live ${d.live}`);
  return `eksplan live: ${clusterName} differs from the plan in ${drifts.length} place(s)\n${lines.join('\n')}\n`;
}
