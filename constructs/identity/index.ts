export * from './irsa-service-account';
export * from './pod-identity-role';
