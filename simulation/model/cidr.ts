import { EksplanError } from './errors';

/** Parses `a.b.c.d/n` into its network address (as an unsigned 32-bit number) and prefix length. */
export function parseCidr(cidr: string, where: { input?: string; field?: string } = {}): { network: number; prefix: number; size: number } {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!match) throw new EksplanError(`invalid CIDR '${cidr}': expected a.b.c.d/n`, where);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new EksplanError(`invalid CIDR '${cidr}': octets must be 0-255 and the prefix 0-32`, where);
  const address = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const size = 2 ** (32 - prefix);
  const network = Math.floor(address / size) * size;
  if (network !== address) throw new EksplanError(`invalid CIDR '${cidr}': host bits are set (the network is ${formatIp(network)}/${prefix})`, where);
  return { network, prefix, size };
}

export function formatIp(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join('.');
}

/** Whether two CIDRs overlap. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return x.network < y.network + y.size && y.network < x.network + x.size;
}
