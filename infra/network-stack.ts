/**
 * `<env>-network`: the VPC over the environment's availability zones. Public subnets hold the NAT
 * gateways and the external ALB, private subnets the nodes and Pods (VPC CNI), database subnets
 * Aurora. Private subnets carry the tag Karpenter discovers them by. AWS APIs the nodes call
 * constantly (ECR, STS, Secrets Manager, SSM, CloudWatch Logs, S3) are reached through VPC
 * endpoints instead of the NAT gateways.
 */
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { karpenterDiscoveryTag } from '../platform/naming';
import { MAX_ZONES, parseCidr, subnetPlan, type SubnetPlan, type SubnetTier } from '../platform/network';
import { awsDnsSuffix } from './names';
import { PlatformStack, type PlatformStackProps } from './platform-stack';

/** Short name of the stack (state key, dist directory). */
export const NETWORK_STACK = 'network';

/** Names of the network stack's outputs, read by other stacks through its remote state. */
export const NETWORK_OUTPUTS = {
  vpcId: 'vpc_id',
  vpcCidr: 'vpc_cidr',
  publicSubnetIds: 'public_subnet_ids',
  privateSubnetIds: 'private_subnet_ids',
  databaseSubnetIds: 'database_subnet_ids',
  natGatewayIds: 'nat_gateway_ids',
  natPublicIps: 'nat_public_ips',
} as const;

/** Interface endpoints every environment gets (nodes pull images, assume roles, read secrets, ship logs). */
export const DEFAULT_INTERFACE_ENDPOINTS: readonly string[] = ['ecr.api', 'ecr.dkr', 'sts', 'secretsmanager', 'ssm', 'logs'];

/** VPC prefix lengths the subnet plan supports: AWS allows at most a /16; a /20 leaves /22 private subnets. */
const VPC_PREFIX = { min: 16, max: 20 };

export interface NetworkStackProps extends PlatformStackProps {
  /**
   * AWS services reached through interface endpoints (the part after `com.amazonaws.<region>.`).
   * @default DEFAULT_INTERFACE_ENDPOINTS
   */
  readonly interfaceEndpoints?: readonly string[];
}

export class NetworkStack extends PlatformStack {
  public readonly vpc: Vpc;
  /** Subnets per tier, in the order of the environment's availability zones. */
  public readonly subnets: Readonly<Record<SubnetTier, readonly Subnet[]>>;
  public readonly natGateways: readonly NatGateway[];

  constructor(scope: Construct, props: NetworkStackProps) {
    super(scope, NETWORK_STACK, props);
    const { env } = this;
    const problems = networkProblems(env);
    this.validateWith(() => problems);
    const plan: SubnetPlan = problems.length === 0 ? subnetPlan(env.vpcCidr, env.availabilityZones.length) : { public: [], private: [], database: [] };
    const name = (suffix: string) => `${this.prefix}-${suffix}`;
    const discovery = karpenterDiscoveryTag(this.platform, env);

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: env.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: name('vpc') },
    });
    // Strip every rule from the VPC's default security group: nothing may rely on it.
    new DefaultSecurityGroup(this, 'default-security-group', { vpcId: this.vpc.id, tags: { Name: name('default-deny') } });
    const igw = new InternetGateway(this, 'internet-gateway', { vpcId: this.vpc.id, tags: { Name: name('igw') } });

    const tierTags: Record<SubnetTier, Record<string, string>> = {
      public: { 'kubernetes.io/role/elb': '1' },
      private: { 'kubernetes.io/role/internal-elb': '1', [discovery.key]: discovery.value },
      database: {},
    };
    const subnetsOf = (tier: SubnetTier): Subnet[] =>
      plan[tier].map(
        (cidr, i) =>
          new Subnet(this, `${tier}-${env.availabilityZones[i]}`, {
            vpcId: this.vpc.id,
            cidrBlock: cidr,
            availabilityZone: env.availabilityZones[i],
            mapPublicIpOnLaunch: false,
            tags: { Name: name(`${tier}-${env.availabilityZones[i]}`), tier, ...tierTags[tier] },
          }),
      );
    this.subnets = { public: subnetsOf('public'), private: subnetsOf('private'), database: subnetsOf('database') };

    // Public tier: one route table, default route to the internet gateway.
    const publicRoutes = new RouteTable(this, 'public-route-table', { vpcId: this.vpc.id, tags: { Name: name('public') } });
    new Route(this, 'public-default-route', { routeTableId: publicRoutes.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
    this.subnets.public.forEach((subnet, i) =>
      new RouteTableAssociation(this, `public-route-table-association-${env.availabilityZones[i]}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }),
    );

    // NAT gateways in the first N public subnets (1 = cheap, one per zone = a zone outage keeps egress).
    const natIps: Eip[] = [];
    this.natGateways = this.subnets.public.slice(0, env.sizing.natGateways).map((subnet, i) => {
      const zone = env.availabilityZones[i];
      const eip = new Eip(this, `nat-eip-${zone}`, { domain: 'vpc', tags: { Name: name(`nat-${zone}`) } });
      natIps.push(eip);
      return new NatGateway(this, `nat-${zone}`, {
        allocationId: eip.allocationId,
        subnetId: subnet.id,
        connectivityType: 'public',
        tags: { Name: name(`nat-${zone}`) },
        dependsOn: [igw],
      });
    });

    // Private tier: a route table per zone, default route to the zone's NAT gateway (or the shared one).
    const privateRoutes = this.subnets.private.map((subnet, i) => {
      const zone = env.availabilityZones[i];
      const table = new RouteTable(this, `private-route-table-${zone}`, { vpcId: this.vpc.id, tags: { Name: name(`private-${zone}`) } });
      const nat = this.natGateways[i % Math.max(this.natGateways.length, 1)];
      if (nat) new Route(this, `private-default-route-${zone}`, { routeTableId: table.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id });
      new RouteTableAssociation(this, `private-route-table-association-${zone}`, { subnetId: subnet.id, routeTableId: table.id });
      return table;
    });

    // Database tier: no route out of the VPC at all.
    const databaseRoutes = new RouteTable(this, 'database-route-table', { vpcId: this.vpc.id, tags: { Name: name('database') } });
    this.subnets.database.forEach((subnet, i) =>
      new RouteTableAssociation(this, `database-route-table-association-${env.availabilityZones[i]}`, { subnetId: subnet.id, routeTableId: databaseRoutes.id }),
    );

    // S3 through a (free) gateway endpoint: image layers (ECR stores them in S3) skip the NAT gateways.
    const servicePrefix = `${reverseDns(awsDnsSuffix(env.region))}.${env.region}`;
    new VpcEndpoint(this, 'endpoint-s3', {
      vpcId: this.vpc.id,
      serviceName: `${servicePrefix}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: privateRoutes.map((t) => t.id),
      tags: { Name: name('s3') },
    });

    const endpointsSg = new SecurityGroup(this, 'endpoints-security-group', {
      name: name('vpc-endpoints'),
      description: 'HTTPS from inside the VPC to the interface VPC endpoints',
      vpcId: this.vpc.id,
      tags: { Name: name('vpc-endpoints') },
    });
    new VpcSecurityGroupIngressRule(this, 'endpoints-https-from-vpc', {
      securityGroupId: endpointsSg.id,
      description: 'HTTPS from the VPC',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: env.vpcCidr,
    });
    for (const service of props.interfaceEndpoints ?? DEFAULT_INTERFACE_ENDPOINTS) {
      new VpcEndpoint(this, `endpoint-${service.replace(/\./g, '-')}`, {
        vpcId: this.vpc.id,
        serviceName: `${servicePrefix}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: this.subnets.private.map((s) => s.id),
        securityGroupIds: [endpointsSg.id],
        tags: { Name: name(service) },
      });
    }

    new TerraformOutput(this, NETWORK_OUTPUTS.vpcId, { value: this.vpc.id, description: 'ID of the VPC' });
    new TerraformOutput(this, NETWORK_OUTPUTS.vpcCidr, { value: this.vpc.cidrBlock, description: 'CIDR block of the VPC' });
    new TerraformOutput(this, NETWORK_OUTPUTS.publicSubnetIds, { value: this.subnets.public.map((s) => s.id), description: 'Public subnets, in zone order' });
    new TerraformOutput(this, NETWORK_OUTPUTS.privateSubnetIds, { value: this.subnets.private.map((s) => s.id), description: 'Private (node and Pod) subnets, in zone order' });
    new TerraformOutput(this, NETWORK_OUTPUTS.databaseSubnetIds, { value: this.subnets.database.map((s) => s.id), description: 'Database subnets, in zone order' });
    new TerraformOutput(this, NETWORK_OUTPUTS.natGatewayIds, { value: this.natGateways.map((n) => n.id), description: 'NAT gateways, in zone order (alarms watch each)' });
    new TerraformOutput(this, NETWORK_OUTPUTS.natPublicIps, {
      value: natIps.map((e) => e.publicIp),
      description: 'Public IPs of the NAT gateways: the fixed source of the VPC\'s internet traffic (the internal ALB admits them)',
    });
  }
}

/** "amazonaws.com" -> "com.amazonaws" (the prefix of VPC endpoint service names). */
function reverseDns(domain: string): string {
  return domain.split('.').reverse().join('.');
}

/** What the network stack cannot build for an environment. */
export function networkProblems(env: PlatformStackProps['env']): string[] {
  const problems: string[] = [];
  const zones = env.availabilityZones.length;
  if (zones < 2 || zones > MAX_ZONES) problems.push(`environment ${env.name}: needs 2 to ${MAX_ZONES} availability zones (EKS needs two), got ${zones}`);
  if (new Set(env.availabilityZones).size !== zones) problems.push(`environment ${env.name}: availability zones are not distinct`);
  try {
    const { prefix } = parseCidr(env.vpcCidr);
    if (prefix < VPC_PREFIX.min || prefix > VPC_PREFIX.max) problems.push(`environment ${env.name}: vpcCidr ${env.vpcCidr} must be a /${VPC_PREFIX.min} to /${VPC_PREFIX.max}`);
  } catch (err) {
    problems.push(`environment ${env.name}: vpcCidr: ${(err as Error).message}`);
  }
  const nat = env.sizing.natGateways;
  if (!Number.isInteger(nat) || nat < 1 || nat > zones) problems.push(`environment ${env.name}: sizing.natGateways must be 1 to ${zones} (one per zone at most), got ${nat}`);
  return problems;
}
