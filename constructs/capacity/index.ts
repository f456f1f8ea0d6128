export * from './managed-node-group';
export * from './karpenter';
export * from './karpenter-policy';
export * from './node-pool';
export * from './ec2-node-class';
