/**
 * Pure IPv4 CIDR arithmetic for the network stack: no framework imports, so the subnet plan can be
 * computed (and tested) without building any Terraform.
 */

/** A parsed IPv4 CIDR block. */
export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  /** Prefix length, 0..32. */
  readonly prefix: number;
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses "a.b.c.d/n"; throws when it is not an IPv4 CIDR or has host bits set. */
export function parseCidr(cidr: string): Ipv4Cidr {
  const match = IPV4_CIDR.exec(cidr);
  if (!match) throw new Error(`"${cidr}" is not an IPv4 CIDR block`);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new Error(`"${cidr}" is not an IPv4 CIDR block`);
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const network = (address & prefixMask(prefix)) >>> 0;
  if (network !== address) throw new Error(`"${cidr}" has host bits set (network address is ${formatAddress(network)})`);
  return { network, prefix };
}

export function formatCidr(cidr: Ipv4Cidr): string {
  return `${formatAddress(cidr.network)}/${cidr.prefix}`;
}

function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join('.');
}

function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/**
 * The `index`-th sub-block of `cidr` that is `newBits` longer, like Terraform's `cidrsubnet()`:
 * `subnetCidr("10.0.0.0/16", 2, 1)` is "10.0.64.0/18".
 */
export function subnetCidr(cidr: string, newBits: number, index: number): string {
  const parent = parseCidr(cidr);
  const prefix = parent.prefix + newBits;
  if (!Number.isInteger(newBits) || newBits < 0 || prefix > 32) throw new Error(`${cidr} cannot be split into /${prefix} blocks`);
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** newBits) {
    throw new Error(`${cidr} has only ${2 ** newBits} /${prefix} blocks; index ${index} is out of range`);
  }
  return formatCidr({ network: (parent.network + index * 2 ** (32 - prefix)) >>> 0, prefix });
}

/** Subnet tiers of the VPC, each with one subnet per availability zone. */
export type SubnetTier = 'public' | 'private' | 'database';

/** CIDR blocks of every tier, indexed like the environment's availability zones. */
export type SubnetPlan = Readonly<Record<SubnetTier, readonly string[]>>;

/**
 * Most zones one plan supports. The layout reserves four quarters of the VPC; the private tier
 * takes one quarter per zone and the last quarter holds the small tiers.
 */
export const MAX_ZONES = 3;

/**
 * Deterministic subnet plan of a VPC. Pods take VPC addresses (VPC CNI), so the private tier gets
 * most of the space: for a /16 VPC, private subnets are /18s (16k addresses each) in the first
 * three quarters, and the public and database subnets are /22s (1k each) packed into the last
 * quarter (public first, then database), leaving the rest of that quarter free for later tiers.
 * Adding a zone never moves an existing subnet.
 */
export function subnetPlan(vpcCidr: string, zoneCount: number): SubnetPlan {
  if (!Number.isInteger(zoneCount) || zoneCount < 1 || zoneCount > MAX_ZONES) {
    throw new Error(`a subnet plan needs 1 to ${MAX_ZONES} availability zones, got ${zoneCount}`);
  }
  const zones = [...Array(zoneCount).keys()];
  const lastQuarter = subnetCidr(vpcCidr, 2, 3);
  // The last quarter splits into 16 blocks (/22s for a /16 VPC): public takes 0..2 (the first /20),
  // database 4..6 (the second /20), so each tier stays inside one aligned block.
  return {
    private: zones.map((i) => subnetCidr(vpcCidr, 2, i)),
    public: zones.map((i) => subnetCidr(lastQuarter, 4, i)),
    database: zones.map((i) => subnetCidr(lastQuarter, 4, 4 + i)),
  };
}

/** Whether `inner` lies entirely inside `outer` (both IPv4 CIDRs). */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  return i.prefix >= o.prefix && ((i.network & prefixMask(o.prefix)) >>> 0) === o.network;
}

/** Whether the IPv4 address `address` ("a.b.c.d") lies inside `cidr`. */
export function cidrHasAddress(cidr: string, address: string): boolean {
  return cidrContains(cidr, `${address}/32`);
}

/**
 * The Service CIDR of the cluster: the block EKS picks when none is given (EKS API
 * `KubernetesNetworkConfigRequest.serviceIpv4Cidr`: "from either the 10.100.0.0/16 or
 * 172.20.0.0/16 CIDR blocks", 172.20.0.0/16 when the VPC is inside 10.0.0.0/8). The cluster stack
 * leaves it to EKS (the argument is ForceNew); this is the one place that rule is written.
 */
export function kubernetesServiceCidr(vpcCidr: string): string {
  return cidrContains('10.0.0.0/8', vpcCidr) ? '172.20.0.0/16' : '10.100.0.0/16';
}

/** Address of the `default/kubernetes` Service (the API server's ClusterIP): the first address of the Service CIDR. */
export function kubernetesApiServiceAddress(vpcCidr: string): string {
  const block = parseCidr(kubernetesServiceCidr(vpcCidr));
  return formatAddress((block.network + 1) >>> 0);
}

/**
 * Private address space and link-local (instance metadata, the VPC resolver): what
 * `publicInternet()` excludes, so an "internet" rule never reaches inside the VPC or the node.
 */
export const NON_PUBLIC_CIDRS: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'];

/** Public IPv4 addresses only: 0.0.0.0/0 minus `NON_PUBLIC_CIDRS` and the VPC (when it is outside them). */
export function publicInternet(vpcCidr: string): { readonly cidr: string; readonly except: readonly string[] } {
  const except = NON_PUBLIC_CIDRS.some((c) => cidrContains(c, vpcCidr)) ? [...NON_PUBLIC_CIDRS] : [...NON_PUBLIC_CIDRS, vpcCidr];
  return { cidr: '0.0.0.0/0', except };
}

/** Address blocks the NetworkPolicies and the network stack share, derived from the environment once. */
export interface PolicyNetwork {
  /** Node, Pod, EKS control-plane ENI, interface endpoint and internal ALB subnets (the private tier). */
  readonly privateSubnets: readonly string[];
  /** Aurora's subnets. */
  readonly databaseSubnets: readonly string[];
  /** Address of the `default/kubernetes` Service. */
  readonly apiServiceAddress: string;
  /** Public addresses (NAT gateway egress). */
  readonly internet: { readonly cidr: string; readonly except: readonly string[] };
}

// Every service's Jobs and policies ask for the same few environments' blocks: derived once each.
const policyNetworks = new Map<string, PolicyNetwork>();

export function policyNetwork(env: { readonly vpcCidr: string; readonly availabilityZones: readonly string[] }): PolicyNetwork {
  const key = `${env.vpcCidr} ${env.availabilityZones.length}`;
  let network = policyNetworks.get(key);
  if (network === undefined) {
    const plan = subnetPlan(env.vpcCidr, env.availabilityZones.length);
    const internet = publicInternet(env.vpcCidr);
    // Shared by every caller, so frozen.
    network = Object.freeze({
      privateSubnets: Object.freeze(plan.private),
      databaseSubnets: Object.freeze(plan.database),
      apiServiceAddress: kubernetesApiServiceAddress(env.vpcCidr),
      internet: Object.freeze({ cidr: internet.cidr, except: Object.freeze(internet.except) }),
    });
    policyNetworks.set(key, network);
  }
  return network;
}
