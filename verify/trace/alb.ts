/**
 * Hop: the ALB's HTTPS listener rules (rendered Terraform JSON of the edge stack).
 *
 * Encodes the ALB rule evaluation order (AWS "Listener rules for your Application Load Balancer":
 * rules are evaluated in priority order, lowest value first, the default action last; a
 * `host-header` condition matches case-insensitively, `*` matching any characters) and the
 * listener's WAF association (aws_wafv2_web_acl_association on the same load balancer).
 */
import type { DistTree } from './dist-tree';
import { type Hop, refuse, type TraceRequest } from './hop';

export interface AlbResult {
  readonly hops: Hop[];
  /** The NodePort the chosen target group sends to, when the request goes on. */
  readonly nodePort?: number;
}

const resourceName = (expr: string | undefined): string | undefined => /^\$\{[a-z0-9_]+\.([^.]+)\.arn\}$/.exec(expr ?? '')?.[1];

/**
 * The target group a forward action names: one of the edge stack's own, or the cluster stack's
 * through its remote state (`${data.terraform_remote_state.cluster.outputs.<name>}`, whose output
 * value is `${aws_lb_target_group.<tg>.arn}`, the way Terraform resolves it).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function targetGroupOf(tree: DistTree, arn: string | undefined): { name: string; stack: string; tg: any } | undefined {
  const local = resourceName(arn);
  if (local && tree.edge?.resource?.aws_lb_target_group?.[local]) return { name: local, stack: 'edge', tg: tree.edge.resource.aws_lb_target_group[local] };
  const output = /^\$\{data\.terraform_remote_state\.cluster\.outputs\.([A-Za-z0-9_-]+)\}$/.exec(arn ?? '')?.[1];
  const remote = output ? resourceName(tree.cluster?.output?.[output]?.value) : undefined;
  const tg = remote ? tree.cluster?.resource?.aws_lb_target_group?.[remote] : undefined;
  return remote && tg ? { name: remote, stack: 'cluster', tg } : undefined;
}

function hostMatches(pattern: string, host: string): boolean {
  const re = new RegExp(`^${pattern.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(host.toLowerCase());
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function forward(tree: DistTree, actions: any[], via: string, hops: Hop[]): AlbResult {
  const fwd = actions.find((a) => a.type === 'forward');
  if (!fwd) {
    const fixed = actions.find((a) => a.type === 'fixed-response');
    hops.push(refuse('ALB', via, `action ${actions.map((a) => a.type).join(',')}`, `${via} default action`, fixed?.fixed_response?.status_code ?? 'refused'));
    return { hops };
  }
  const found = targetGroupOf(tree, fwd.target_group_arn);
  if (!found) {
    hops.push(refuse('Target group', via, `unknown target group ${fwd.target_group_arn}`, via, '503'));
    return { hops };
  }
  const { tg } = found;
  hops.push({ hop: 'Target group', object: `aws_lb_target_group.${found.name}`, detail: `${tg.name}: ${tg.protocol} to instance port ${tg.port} (health ${tg.health_check?.path} on ${tg.health_check?.port})` });
  return { hops, nodePort: Number(tg.port) };
}

export function evaluateAlb(tree: DistTree, req: TraceRequest): AlbResult {
  const hops: Hop[] = [];
  const edge = tree.edge;
  if (!edge) return { hops: [refuse('ALB', `dist/${tree.env}/terraform/edge`, 'no edge stack rendered', 'edge stack', 'unreachable')] };
  const listeners = edge.resource?.aws_lb_listener ?? {};
  const rules = edge.resource?.aws_lb_listener_rule ?? {};
  const wafs = edge.resource?.aws_wafv2_web_acl_association ?? {};
  // Each HTTPS listener with the rules attached to it; the first ALB whose rule matches the host takes it
  // (Route 53 points each host at one ALB; a host no rule names falls to the listener whose default forwards).
  const https = Object.entries(listeners).filter(([, l]) => (l as { protocol: string }).protocol === 'HTTPS');
  for (const [name, listener] of https) {
    const own = Object.entries(rules)
      .filter(([, r]) => resourceName((r as { listener_arn: string }).listener_arn) === name)
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      .sort(([, a], [, b]) => (a as any).priority - (b as any).priority);
    for (const [ruleName, rule] of own) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const r = rule as any;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const hostsOk = (r.condition ?? []).every((c: any) => !c.host_header || c.host_header.values.some((v: string) => hostMatches(v, req.host)));
      if (!hostsOk) continue;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const lb = resourceName((listener as any).load_balancer_arn);
      const waf = Object.entries(wafs).find(([, w]) => resourceName((w as { resource_arn: string }).resource_arn) === lb);
      hops.push({ hop: 'ALB', object: `aws_lb_listener_rule.${ruleName}`, detail: `${lb} :443 TLS terminated, rule priority ${r.priority} host-header matches ${req.host}${waf ? `; WAF ${resourceName((waf[1] as { web_acl_arn: string }).web_acl_arn)}` : ''}` });
      return forward(tree, r.action, `aws_lb_listener_rule.${ruleName}`, hops);
    }
  }
  return { hops: [refuse('ALB', 'aws_lb_listener_rule', `no listener rule names host ${req.host}`, 'no host-header rule', '404')] };
}
