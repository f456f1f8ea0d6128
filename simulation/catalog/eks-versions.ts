import { EksplanError } from '../model/errors';

// The EKS Kubernetes version calendar (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html):
// 14 months of standard support from the EKS release, then 12 months of extended support. Dates for versions
// whose end dates AWS has not yet published follow that policy and are marked `projected`.
// Control-plane price per cluster-hour: $0.10 in standard support, $0.60 in extended support
// (aws.amazon.com/eks/pricing). Checked against the EKS user guide's release calendar on EKS_CALENDAR_DATE.

export const EKS_CALENDAR_SOURCE = 'docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (release calendar); aws.amazon.com/eks/pricing';
export const EKS_CALENDAR_DATE = '2026-11-01';
export const EKS_STANDARD_SUPPORT_USD_PER_HOUR = 0.10;
export const EKS_EXTENDED_SUPPORT_USD_PER_HOUR = 0.60;

export interface EksVersion {
  readonly version: string;
  readonly released: string;
  readonly endOfStandardSupport: string;
  readonly endOfExtendedSupport: string;
  readonly projected?: boolean;
}

export const EKS_VERSIONS: readonly EksVersion[] = [
  { version: '1.28', released: '2023-09-26', endOfStandardSupport: '2024-11-26', endOfExtendedSupport: '2025-11-26' },
  { version: '1.29', released: '2024-01-23', endOfStandardSupport: '2025-03-23', endOfExtendedSupport: '2026-03-23' },
  { version: '1.30', released: '2024-05-23', endOfStandardSupport: '2025-07-23', endOfExtendedSupport: '2026-07-23' },
  { version: '1.31', released: '2024-09-26', endOfStandardSupport: '2025-11-26', endOfExtendedSupport: '2026-11-26' },
  { version: '1.32', released: '2025-01-23', endOfStandardSupport: '2026-03-23', endOfExtendedSupport: '2027-03-23' },
  { version: '1.33', released: '2025-05-29', endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29' },
  { version: '1.34', released: '2025-10-02', endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02' },
  { version: '1.35', released: '2026-01-27', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27', projected: true },
  { version: '1.36', released: '2026-05-26', endOfStandardSupport: '2027-07-26', endOfExtendedSupport: '2028-07-26', projected: true },
];

export type SupportStatus = 'standard' | 'extended' | 'unsupported';

export function eksVersion(version: string): EksVersion {
  const found = EKS_VERSIONS.find((v) => v.version === version);
  if (!found) {
    throw new EksplanError(`unknown EKS Kubernetes version '${version}': known ${EKS_VERSIONS.map((v) => v.version).join(', ')}`, { field: 'version' });
  }
  return found;
}

/** Support status of a version on a date (yyyy-mm-dd). Past extended support EKS upgrades the cluster itself. */
export function eksSupportStatus(version: string, atDate: string): SupportStatus {
  const v = eksVersion(version);
  if (atDate < v.endOfStandardSupport) return 'standard';
  if (atDate < v.endOfExtendedSupport) return 'extended';
  return 'unsupported';
}

/** The control-plane price of a version on a date: standard or extended support rate (no cluster past extended support). */
export function eksControlPlaneUsdPerHour(version: string, atDate: string): number {
  return eksSupportStatus(version, atDate) === 'standard' ? EKS_STANDARD_SUPPORT_USD_PER_HOUR : EKS_EXTENDED_SUPPORT_USD_PER_HOUR;
}

/** Versions EKS supports (standard or extended) on a date, oldest first. */
export function supportedEksVersions(atDate: string): string[] {
  return EKS_VERSIONS.filter((v) => eksSupportStatus(v.version, atDate) !== 'unsupported').map((v) => v.version);
}
