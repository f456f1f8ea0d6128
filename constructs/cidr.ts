/** Why a string is not an IPv4 CIDR with its host bits clear (as EC2 and EKS require), or undefined when it is. */
export function ipv4CidrProblem(cidr: string): string | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return 'is not an IPv4 CIDR like 203.0.113.0/24';
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return 'is not an IPv4 CIDR like 203.0.113.0/24';
  const address = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size === 0) return undefined;
  const network = address - (address % size);
  return `has host bits set (the network is ${[24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.')}/${prefix})`;
}

/** A CIDR that matches every address: 0.0.0.0/0 or ::/0. */
export function isAnyAddress(cidr: string): boolean {
  return cidr === '0.0.0.0/0' || cidr === '::/0';
}
