/**
 * `<env>-edge`: how traffic reaches the gateways (sources 003 §15-17, 000/001). Two ALBs, both
 * HTTPS-only (HTTP redirects, TLS 1.2+ policy, ACM certificates validated through Route 53), whose
 * listeners forward to the instance target groups on the NodePorts the model fixes; those groups
 * are created, and attached to the managed node group's Auto Scaling group (the gateways run
 * there), by the cluster stack with the node group (gateway-target-groups.ts), so no load-balancer
 * controller is needed and replacing the node group never leaves an ALB without targets:
 *
 * - external ALB: the public hosts (web, api) -> the Istio IngressGateway NodePort; WAF with the
 *   AWS managed IP-reputation, common (incl. XSS), known-bad-inputs and SQLi rule groups;
 * - internal ALB: SWE/SRE tools. Internal hosts of in-mesh services -> Istio, everything else (SRE
 *   dashboards) -> the ingress-nginx NodePort. Internal scheme, in the private subnets, its records
 *   in a private hosted zone of the internal domain associated with the VPC: nothing on the
 *   internet resolves or reaches it. The offices and the VPN reach the VPC over private routing
 *   (site-to-site VPN / Client VPN / Direct Connect, set up outside this repository) and are the
 *   only sources admitted, by security group and by a WAF allow list (`internalAllowCidrs`). The
 *   NAT gateways' addresses are not trusted: every Pod egresses through them. In-cluster callers
 *   use Service DNS, not the published hosts (source 003 §16).
 *
 * Route 53: an alias record per host of the model in hosted zones looked up by name. The zones are
 * not created here: a zone's name servers must be delegated from its parent (a registrar or another
 * account), so a zone owned by this stack would break DNS every time it was re-created.
 */
import { DataTerraformRemoteStateS3, TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Wafv2IpSet } from '@cdktf/provider-aws/lib/wafv2-ip-set';
import { Wafv2WebAcl, type Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { AlbAccessLogs } from './alb-access-logs';
import { PUBLIC_MANAGED_RULE_GROUPS, publicWebAclRules } from './web-acl-rules';
import {
  albName,
  hostedZoneName,
  internalWildcardHost,
  MAX_ELB_NAME,
  wafLogGroupName,
  webAclName,
  type AlbKind,
} from '../platform/aws-names';
import { internalHost, publicHost } from '../platform/naming';
import { parseCidr } from '../platform/network';
import type { Environment, Platform } from '../platform/types';
import { listServices } from '../platform/validate';
import { CLUSTER_OUTPUTS, CLUSTER_STACK } from './cluster-stack';
import { ALB_GATEWAYS, gatewayPorts, GATEWAY_TARGET_GROUPS, targetGroupNameOf, targetGroupOutputs, type Gateway } from './gateway-target-groups';
import { NETWORK_OUTPUTS, NETWORK_STACK } from './network-stack';
import { PlatformStack, type PlatformStackProps } from './platform-stack';
import { stackRemoteState } from './state';

/** Short name of the stack (state key, dist directory). */
export const EDGE_STACK = 'edge';

export const EDGE_OUTPUTS = {
  externalAlbArnSuffix: 'external_alb_arn_suffix',
  internalAlbArnSuffix: 'internal_alb_arn_suffix',
  externalAlbDnsName: 'external_alb_dns_name',
  internalAlbDnsName: 'internal_alb_dns_name',
} as const;

/** TLS 1.3 and 1.2 only, forward-secret ciphers (the ELB "modern" policy). */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** AWS managed rule groups of the external web ACL, in evaluation order. */
export const EXTERNAL_MANAGED_RULE_GROUPS: readonly string[] = PUBLIC_MANAGED_RULE_GROUPS;

/** Listener rules hold at most five host names each. */
const HOSTS_PER_RULE = 5;

/** The routes of one ALB: target groups, and which hosts go to which (first rule wins). */
interface AlbPlan {
  readonly kind: AlbKind;
  /** Gateways the ALB has a target group for (stable, even while no route uses one). */
  readonly gateways: readonly Gateway[];
  /** Host-header routes, in rule order. */
  readonly routes: readonly { readonly hosts: readonly string[]; readonly gateway: Gateway }[];
  /** Requests no route matches: a target group, or a 404 from the ALB itself. */
  readonly fallback: Gateway | 'not-found';
  /** Hosts the certificate covers (the first is its domain name). */
  readonly certificateDomains: readonly string[];
  /** Hosts that get an alias record. */
  readonly records: readonly string[];
}

/** The two ALBs of an environment, derived from the model. */
export function albPlans(platform: Pick<Platform, 'teams'>, env: Pick<Environment, 'domains'>): Record<AlbKind, AlbPlan> {
  const publicHosts = [...new Set([publicHost(env, 'web'), publicHost(env, 'api')])];
  const internal = listServices(platform).flatMap(({ namespace, service }) =>
    service.exposure.internal.map((route) => ({ host: internalHost(env, route.subdomain), mesh: namespace.mesh })),
  );
  const meshHosts = [...new Set(internal.filter((i) => i.mesh).map((i) => i.host))].sort();
  const internalHosts = [...new Set(internal.map((i) => i.host))].sort();
  return {
    external: {
      kind: 'external',
      gateways: ALB_GATEWAYS.external,
      routes: [{ hosts: publicHosts, gateway: 'istio' }],
      fallback: 'not-found',
      certificateDomains: publicHosts,
      records: publicHosts,
    },
    internal: {
      kind: 'internal',
      gateways: ALB_GATEWAYS.internal,
      routes: chunks(meshHosts, HOSTS_PER_RULE).map((hosts) => ({ hosts, gateway: 'istio' as const })),
      fallback: 'nginx',
      // One wildcard covers the model's internal hosts and every SRE dashboard behind ingress-nginx.
      certificateDomains: [internalWildcardHost(env)],
      records: [...internalHosts, internalWildcardHost(env)],
    },
  };
}

export class EdgeStack extends PlatformStack {
  public readonly albs: Readonly<Record<AlbKind, Lb>>;
  /** ARNs of the target groups (the cluster stack's, through its remote state) by "<alb>-<gateway>". */
  public readonly targetGroupArns: ReadonlyMap<string, string>;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, EDGE_STACK, props);
    const { platform, env } = this;
    const plans = albPlans(platform, env);
    this.validateWith(() => edgeProblems(platform, env));
    const protect = env.deletionProtection;

    const network = new DataTerraformRemoteStateS3(this, 'network', stackRemoteState(platform, env, NETWORK_STACK));
    const cluster = new DataTerraformRemoteStateS3(this, 'cluster', stackRemoteState(platform, env, CLUSTER_STACK));
    const vpcId = network.getString(NETWORK_OUTPUTS.vpcId);
    const nodeSecurityGroupId = cluster.getString(CLUSTER_OUTPUTS.clusterSecurityGroupId);
    const nodePorts: Record<Gateway, number> = { istio: gatewayPorts(platform, 'istio').traffic, nginx: gatewayPorts(platform, 'nginx').traffic };
    const healthPorts: Record<Gateway, number> = { istio: gatewayPorts(platform, 'istio').health, nginx: gatewayPorts(platform, 'nginx').health };

    // ---- DNS zones and certificates -------------------------------------------------------------
    const zones = new Map<string, DataAwsRoute53Zone>();
    const zoneOf = (host: string): DataAwsRoute53Zone => {
      const zoneName = hostedZoneName(env, host.replace(/^\*\./, ''));
      let zone = zones.get(zoneName);
      if (!zone) {
        zone = new DataAwsRoute53Zone(this, `zone-${zoneName.replace(/\./g, '_')}`, { name: zoneName, privateZone: false });
        zones.set(zoneName, zone);
      }
      return zone;
    };

    // ---- Logs: ALB access logs to S3, WAF logs to CloudWatch (KMS-encrypted, bounded) ---------
    const accessLogs = new AlbAccessLogs(this, 'alb-access-logs', { platform, env, prefixes: [plans.external.kind, plans.internal.kind] });
    const logsKeyArn = cluster.getString(CLUSTER_OUTPUTS.logsKmsKeyArn);

    // The internal domain's records live in a private zone of the VPC (created here: a private zone
    // needs no delegation); its certificate is still validated through the public zone.
    const privateZone = new Route53Zone(this, 'internal-private-zone', {
      name: env.domains.internal,
      comment: `Internal tools of ${this.prefix} (resolvable inside the VPC and over the VPN only)`,
      vpc: [{ vpcId }],
    });

    const albs = {} as Record<AlbKind, Lb>;
    const targetGroups = new Map<string, string>();
    for (const plan of [plans.external, plans.internal]) {
      const kind = plan.kind;
      const [domainName, ...alternativeNames] = plan.certificateDomains;
      const certificate = new AcmCertificate(this, `${kind}-certificate`, {
        domainName,
        subjectAlternativeNames: alternativeNames.length > 0 ? alternativeNames : undefined,
        validationMethod: 'DNS',
        keyAlgorithm: 'EC_prime256v1',
        lifecycle: { createBeforeDestroy: true },
      });
      const validationRecords = plan.certificateDomains.map((domain) => {
        const option = (attribute: string) => `\${{ for o in ${certificate.fqn}.domain_validation_options : o.domain_name => o }["${domain}"].${attribute}}`;
        return new Route53Record(this, `${kind}-certificate-validation-${recordId(domain)}`, {
          zoneId: zoneOf(domain).zoneId,
          name: option('resource_record_name'),
          type: option('resource_record_type'),
          records: [option('resource_record_value')],
          ttl: 300,
          allowOverwrite: true,
        });
      });
      const validation = new AcmCertificateValidation(this, `${kind}-certificate-validation`, {
        certificateArn: certificate.arn,
        validationRecordFqdns: validationRecords.map((r) => r.fqdn),
      });

      // ---- Security groups: clients -> ALB on 80/443; ALB -> nodes on the NodePorts only ----------
      const sg = new SecurityGroup(this, `${kind}-alb-security-group`, {
        name: `${albName(platform, env, kind)}-alb`,
        description: `${kind} ALB: HTTP(S) in, gateway NodePorts out`,
        vpcId,
        tags: { Name: `${albName(platform, env, kind)}-alb` },
      });
      const sources = kind === 'external' ? ['0.0.0.0/0'] : [...env.internalAllowCidrs];
      sources.forEach((cidr, i) => {
        for (const port of [80, 443]) {
          new VpcSecurityGroupIngressRule(this, `${kind}-alb-in-${port}-${i}`, {
            securityGroupId: sg.id,
            description: `${port === 443 ? 'HTTPS' : 'HTTP (redirected)'} from ${kind === 'external' ? 'the internet' : `allow-listed network ${i + 1} (office/VPN)`}`,
            ipProtocol: 'tcp',
            fromPort: port,
            toPort: port,
            cidrIpv4: cidr,
          });
        }
      });
      const gateways = plan.gateways;
      for (const gateway of gateways) {
        for (const port of [...new Set([nodePorts[gateway], healthPorts[gateway]])]) {
        const suffix = port === nodePorts[gateway] ? '' : '-health';
        new VpcSecurityGroupEgressRule(this, `${kind}-alb-to-nodes-${gateway}${suffix}`, {
          securityGroupId: sg.id,
          description: `${gateway} gateway NodePort on the nodes`,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          referencedSecurityGroupId: nodeSecurityGroupId,
        });
        new VpcSecurityGroupIngressRule(this, `nodes-from-${kind}-alb-${gateway}${suffix}`, {
          securityGroupId: nodeSecurityGroupId,
          description: `${gateway} gateway NodePort from the ${kind} ALB`,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          referencedSecurityGroupId: sg.id,
        });
        }
      }

      // ---- Load balancer, target groups, listeners -----------------------------------------------
      const alb = new Lb(this, `${kind}-alb`, {
        name: albName(platform, env, kind),
        loadBalancerType: 'application',
        internal: kind === 'internal',
        subnets: network.getList(kind === 'internal' ? NETWORK_OUTPUTS.privateSubnetIds : NETWORK_OUTPUTS.publicSubnetIds),
        securityGroups: [sg.id],
        dropInvalidHeaderFields: true,
        // AWS's recommended mode: blocks requests that risk desync, keeps merely non-compliant ones.
        desyncMitigationMode: 'defensive',
        enableDeletionProtection: protect,
        idleTimeout: 60,
        accessLogs: { bucket: accessLogs.bucket.id, prefix: kind, enabled: true },
        dependsOn: [accessLogs.policy],
      });
      albs[kind] = alb;

      // The target groups live with the node group whose ASG they are attached to (cluster stack):
      // replacing the node group re-attaches them in that stack's apply (gateway-target-groups.ts).
      const groups = new Map<Gateway, string>();
      for (const gateway of gateways) {
        const arn = cluster.getString(targetGroupOutputs(kind, gateway).arn);
        groups.set(gateway, arn);
        targetGroups.set(`${kind}-${gateway}`, arn);
      }

      new LbListener(this, `${kind}-http`, {
        loadBalancerArn: alb.arn,
        port: 80,
        protocol: 'HTTP',
        defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
      });
      const https = new LbListener(this, `${kind}-https`, {
        loadBalancerArn: alb.arn,
        port: 443,
        protocol: 'HTTPS',
        sslPolicy: TLS_POLICY,
        certificateArn: validation.certificateArn,
        routingHttpResponseStrictTransportSecurityHeaderValue: 'max-age=31536000; includeSubDomains',
        defaultAction: [
          plan.fallback === 'not-found'
            ? { type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '404', messageBody: 'Not Found' } }
            : { type: 'forward', targetGroupArn: groups.get(plan.fallback)! },
        ],
      });
      plan.routes.forEach((route, i) =>
        new LbListenerRule(this, `${kind}-https-rule-${i + 1}`, {
          listenerArn: https.arn,
          priority: (i + 1) * 10,
          condition: [{ hostHeader: { values: [...route.hosts] } }],
          action: [{ type: 'forward', targetGroupArn: groups.get(route.gateway)! }],
        }),
      );

      // ---- WAF -----------------------------------------------------------------------------------
      const visibility = (metric: string) => ({ cloudwatchMetricsEnabled: true, metricName: metric, sampledRequestsEnabled: true });
      let rules: Wafv2WebAclRule[];
      if (kind === 'external') {
        rules = publicWebAclRules(albName(platform, env, kind));
      } else {
        const allowList = new Wafv2IpSet(this, 'internal-allow-list', {
          name: `${webAclName(platform, env, kind)}-allow-list`,
          description: 'Offices and VPN (internalAllowCidrs)',
          scope: 'REGIONAL',
          ipAddressVersion: 'IPV4',
          addresses: [...env.internalAllowCidrs],
        });
        rules = [
          {
            name: 'AllowListedSources',
            priority: 0,
            action: { allow: {} },
            statement: { ip_set_reference_statement: { arn: allowList.arn } },
            visibilityConfig: visibility(`${albName(platform, env, kind)}-allow-list`),
          },
        ];
      }
      const acl = new Wafv2WebAcl(this, `${kind}-web-acl`, {
        name: webAclName(platform, env, kind),
        description: kind === 'external' ? 'Public hosts: per-client rate limit, AWS managed rule groups' : 'SWE/SRE tools: allow-listed sources only',
        scope: 'REGIONAL',
        defaultAction: kind === 'external' ? { allow: {} } : { block: {} },
        rule: rules,
        visibilityConfig: visibility(webAclName(platform, env, kind)),
      });
      new Wafv2WebAclAssociation(this, `${kind}-web-acl-association`, { resourceArn: alb.arn, webAclArn: acl.arn });
      const wafLogs = new CloudwatchLogGroup(this, `${kind}-web-acl-logs`, { name: wafLogGroupName(platform, env, kind), retentionInDays: env.logRetentionDays, kmsKeyId: logsKeyArn });
      new Wafv2WebAclLoggingConfiguration(this, `${kind}-web-acl-logging`, {
        resourceArn: acl.arn,
        logDestinationConfigs: [wafLogs.arn],
        // Credentials never reach the logs.
        redactedFields: [{ singleHeader: { name: 'authorization' } }, { singleHeader: { name: 'cookie' } }],
      });

      // ---- DNS records ---------------------------------------------------------------------------
      for (const host of plan.records) {
        new Route53Record(this, `${kind}-record-${recordId(host)}`, {
          zoneId: kind === 'internal' ? privateZone.zoneId : zoneOf(host).zoneId,
          name: host,
          type: 'A',
          alias: { name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true },
        });
      }
    }
    this.albs = albs;
    this.targetGroupArns = targetGroups;

    const out = (id: string, value: string, description: string) => new TerraformOutput(this, id, { value, description });
    out(EDGE_OUTPUTS.externalAlbArnSuffix, albs.external.arnSuffix, 'External ALB (CloudWatch dimension LoadBalancer)');
    out(EDGE_OUTPUTS.internalAlbArnSuffix, albs.internal.arnSuffix, 'Internal ALB (CloudWatch dimension LoadBalancer)');
    out(EDGE_OUTPUTS.externalAlbDnsName, albs.external.dnsName, 'DNS name of the external ALB');
    out(EDGE_OUTPUTS.internalAlbDnsName, albs.internal.dnsName, 'DNS name of the internal ALB');
  }
}

/** What the edge stack cannot build for an environment. */
export function edgeProblems(platform: Pick<Platform, 'name' | 'teams'>, env: Environment): string[] {
  const problems: string[] = [];
  const names = [
    ...(['external', 'internal'] as const).map((alb) => albName(platform, env, alb)),
    ...GATEWAY_TARGET_GROUPS.map(([alb, gateway]) => targetGroupNameOf(platform, env, alb, gateway)),
  ];
  for (const name of names) {
    if (name.length > MAX_ELB_NAME) problems.push(`environment ${env.name}: load balancer/target group name "${name}" is ${name.length} characters; AWS allows ${MAX_ELB_NAME} (shorten the platform or environment name)`);
  }
  for (const cidr of env.internalAllowCidrs) {
    try {
      if (parseCidr(cidr).prefix === 0) problems.push(`environment ${env.name}: internalAllowCidrs must not admit the whole internet to the internal ALB (${cidr})`);
    } catch (err) {
      problems.push(`environment ${env.name}: internalAllowCidrs: ${(err as Error).message}`);
    }
  }
  const plans = albPlans(platform, env);
  for (const host of [...plans.external.records, ...plans.internal.records]) {
    try {
      hostedZoneName(env, host.replace(/^\*\./, ''));
    } catch (err) {
      problems.push(`environment ${env.name}: ${(err as Error).message}`);
    }
  }
  return problems;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A construct id for a host name ("*" -> "wildcard", dots -> "_"). */
const recordId = (host: string): string => host.replace(/^\*\./, 'wildcard.').replace(/\./g, '_');
