import { labelsFromUserData, maxPodsFromUserData } from '../../../simulation/assembly/user-data';

const NODEADM = [
  'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="//"', '', '--//', 'Content-Type: application/node.eks.aws', '',
  'apiVersion: node.eks.aws/v1alpha1', 'kind: NodeConfig', 'spec:', '  kubelet:', '    config:', '      maxPods: 110', '', '--//--',
].join('\n');

describe('maxPodsFromUserData', () => {
  it.each<[string, string, number | undefined]>([
    // AL2023 nodeadm NodeConfig (awslabs/amazon-eks-ami doc "nodeadm" examples)
    ['nodeadm NodeConfig in MIME multipart', NODEADM, 110],
    ['the same, base64-encoded as in a literal launch template', Buffer.from(NODEADM).toString('base64'), 110],
    // AL2 bootstrap.sh flags (amazon-eks-ami templates/al2/runtime/bootstrap.sh)
    ['bootstrap.sh --kubelet-extra-args', "/etc/eks/bootstrap.sh demo --kubelet-extra-args '--max-pods=29 --node-labels=a=b'", 29],
    ['bootstrap.sh --max-pods flag', '/etc/eks/bootstrap.sh demo --use-max-pods false --max-pods 17', 17],
    // Bottlerocket TOML settings.kubernetes.max-pods
    ['Bottlerocket settings', '[settings.kubernetes]\nmax-pods = 64\n', 64],
    ['no max pods', '#!/bin/bash\n/etc/eks/bootstrap.sh demo', undefined],
  ])('%s', (_name, userData, expected) => {
    expect(maxPodsFromUserData(userData)).toBe(expected);
  });

  it('reads --node-labels from bootstrap flags', () => {
    expect(labelsFromUserData("/etc/eks/bootstrap.sh demo --kubelet-extra-args '--node-labels=team=a,tier=web'")).toEqual({ team: 'a', tier: 'web' });
  });
});
