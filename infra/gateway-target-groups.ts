/**
 * The ALB target groups on the gateway NodePorts, and their attachment to the system node group's
 * Auto Scaling group, in the stack of that node group (the cluster stack).
 *
 * Why here and not in the edge stack: an EKS managed node group that is replaced (instance types,
 * AMI type) gets a new Auto Scaling group. With the attachment in the node group's own plan,
 * Terraform creates the new group, attaches its ASG (create-before-destroy), and only then detaches
 * and destroys the old one, in one apply; the ALBs never lose every target. An attachment in another
 * stack would keep pointing at the deleted ASG until that stack was applied again. The edge stack's
 * listeners forward to these groups through the cluster stack's outputs (remote state).
 *
 * ELB semantics: a target group serves one load balancer; instance targets receive traffic on the
 * group's port (the NodePort) once healthy (AWS "Target groups for your Application Load
 * Balancers"); `aws_autoscaling_attachment` registers every instance of the ASG, present and
 * future (hashicorp/terraform-provider-aws internal/service/autoscaling/attachment.go).
 */
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { AutoscalingAttachment } from '@cdktf/provider-aws/lib/autoscaling-attachment';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { GATEWAY_HEALTH_CHECKS, internalIstioTargetGroupName, type AlbKind } from '../platform/aws-names';
import { targetGroupName } from '../platform/naming';
import type { Environment, Platform } from '../platform/types';

export type Gateway = 'istio' | 'nginx';

/** Gateways each ALB has a target group for (stable, even while no route uses one). */
export const ALB_GATEWAYS: Readonly<Record<AlbKind, readonly Gateway[]>> = { external: ['istio'], internal: ['istio', 'nginx'] };

/** Every target group of an environment, as `[alb, gateway]`, in a fixed order. */
export const GATEWAY_TARGET_GROUPS: readonly (readonly [AlbKind, Gateway])[] = (['external', 'internal'] as const).flatMap((alb) => ALB_GATEWAYS[alb].map((g) => [alb, g] as const));

/** Seconds a deregistering node keeps its in-flight requests (the gateways drain on SIGTERM). */
const DEREGISTRATION_DELAY = 30;

/** Target group of one gateway behind one ALB (a target group serves a single load balancer). */
export function targetGroupNameOf(platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>, alb: AlbKind, gateway: Gateway): string {
  if (alb === 'internal' && gateway === 'istio') return internalIstioTargetGroupName(platform, env);
  return targetGroupName(platform, env, gateway);
}

/** Names of the cluster stack's outputs for one target group (its ARN for listeners, its suffix for alarms). */
export function targetGroupOutputs(alb: AlbKind, gateway: Gateway): { readonly arn: string; readonly arnSuffix: string } {
  return { arn: `${alb}_${gateway}_target_group_arn`, arnSuffix: `${alb}_${gateway}_target_group_arn_suffix` };
}

/** The NodePorts of a gateway: where traffic goes, and where the ALB probes health. */
export function gatewayPorts(platform: Pick<Platform, 'nodePorts'>, gateway: Gateway): { readonly traffic: number; readonly health: number } {
  // Istio answers its readiness on the status port (its own fixed NodePort); nginx on its traffic port.
  return gateway === 'istio'
    ? { traffic: platform.nodePorts.istioIngressHttp, health: platform.nodePorts.istioIngressStatus }
    : { traffic: platform.nodePorts.ingressNginxHttp, health: platform.nodePorts.ingressNginxHttp };
}

export interface GatewayTargetGroupsProps {
  readonly platform: Platform;
  readonly env: Environment;
  /** VPC of the nodes. */
  readonly vpcId: string;
  /** Name of the node group's Auto Scaling group (a token of the node group in the same stack). */
  readonly autoScalingGroupName: string;
}

export class GatewayTargetGroups extends Construct {
  /** Target groups by "<alb>-<gateway>". */
  public readonly groups: ReadonlyMap<string, LbTargetGroup>;

  constructor(scope: Construct, id: string, props: GatewayTargetGroupsProps) {
    super(scope, id);
    const { platform, env } = props;
    const groups = new Map<string, LbTargetGroup>();
    for (const [alb, gateway] of GATEWAY_TARGET_GROUPS) {
      const health = GATEWAY_HEALTH_CHECKS[gateway];
      const ports = gatewayPorts(platform, gateway);
      const group = new LbTargetGroup(this, `${alb}-${gateway}`, {
        name: targetGroupNameOf(platform, env, alb, gateway),
        targetType: 'instance',
        port: ports.traffic,
        protocol: 'HTTP',
        vpcId: props.vpcId,
        deregistrationDelay: String(DEREGISTRATION_DELAY),
        healthCheck: {
          enabled: true,
          protocol: 'HTTP',
          port: ports.health === ports.traffic ? 'traffic-port' : String(ports.health),
          path: health.path,
          matcher: health.matcher,
          interval: 15,
          timeout: 5,
          healthyThreshold: 2,
          unhealthyThreshold: 3,
        },
      });
      // The gateways run on the system node group: its ASG registers every node. A new ASG (node
      // group replaced) is attached before the old attachment goes.
      new AutoscalingAttachment(this, `${alb}-${gateway}-asg`, {
        autoscalingGroupName: props.autoScalingGroupName,
        lbTargetGroupArn: group.arn,
        lifecycle: { createBeforeDestroy: true },
      });
      const outputs = targetGroupOutputs(alb, gateway);
      new TerraformOutput(this, outputs.arn, { value: group.arn, description: `Target group of the ${gateway} gateway behind the ${alb} ALB (its listeners forward here)` }).overrideLogicalId(outputs.arn);
      new TerraformOutput(this, outputs.arnSuffix, { value: group.arnSuffix, description: `Target group of the ${gateway} gateway behind the ${alb} ALB (CloudWatch dimension TargetGroup)` }).overrideLogicalId(
        outputs.arnSuffix,
      );
      groups.set(`${alb}-${gateway}`, group);
    }
    this.groups = groups;
  }
}
