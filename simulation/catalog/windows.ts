// Windows nodes: the kubelet labels a Windows node `kubernetes.io/os: windows` and `node.kubernetes.io/windows-build`
// with the OS build (kubernetes/kubernetes pkg/kubelet/kubelet_node_status.go initialNode: LabelOSStable from
// runtime.GOOS, LabelWindowsBuild from the Windows version). Karpenter's Windows AMI families require the same two
// labels of their nodes (aws/karpenter-provider-aws pkg/providers/amifamily/windows.go, builds in pkg/apis/v1/labels.go).

/** Windows Server release → OS build (pkg/apis/v1/labels.go Windows2019Build, Windows2022Build, Windows2025Build). */
const WINDOWS_BUILDS: Record<string, string> = { '2019': '10.0.17763', '2022': '10.0.20348', '2025': '10.0.26100' };

/**
 * The Windows build of an EKS AMI type (`WINDOWS_CORE_2022_x86_64`, `WINDOWS_FULL_2019_x86_64`) or a Karpenter AMI
 * family (`Windows2022`); undefined for Linux AMIs.
 */
export function windowsBuild(amiTypeOrFamily: string | undefined): string | undefined {
  const match = /^WINDOWS_(?:CORE|FULL)_(\d{4})_/.exec(amiTypeOrFamily ?? '') ?? /^Windows(\d{4})$/i.exec(amiTypeOrFamily ?? '');
  return match ? WINDOWS_BUILDS[match[1]] : undefined;
}

/** The operating-system labels a node of this AMI type or family gets: Windows ones, or none (Linux is the default). */
export function osLabels(amiTypeOrFamily: string | undefined): Record<string, string> {
  const build = windowsBuild(amiTypeOrFamily);
  return build ? { 'kubernetes.io/os': 'windows', 'node.kubernetes.io/windows-build': build } : {};
}
