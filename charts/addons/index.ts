/**
 * Every platform add-on of an environment (upstream Helm charts at pinned versions). Each file in
 * this folder contributes the add-ons of one concern; this list is what the sre children render.
 */
import type { AddonSpec } from '../../apps-of-apps/addon';
import type { Environment, Platform } from '../../platform/types';
import { argoCdAddons } from './argo-cd';
import { deschedulerAddons } from './descheduler';
import { externalSecretsAddons } from './external-secrets';
import { fluentBitAddons } from './fluent-bit';
import { ingressNginxAddons } from './ingress-nginx';
import { istioAddons } from './istio';
import { karpenterAddons } from './karpenter';
import { keycloakOperatorAddons } from './keycloak-operator';
import { kialiAddons } from './kiali';
import { kubePrometheusStackAddons } from './kube-prometheus-stack';
import { oauth2ProxyAddons } from './oauth2-proxy';
import { otelCollectorAddons } from './otel-collector';
import { pactBrokerAddons } from './pact-broker';
import { temporalAddons } from './temporal';
import { victoriaMetricsAddons } from './victoria-metrics';

export type AddonFactory = (platform: Platform, env: Environment) => AddonSpec[];

/** Registered add-on factories, in the order their Applications are listed. */
export const ADDON_FACTORIES: readonly AddonFactory[] = [
  // Argo CD manages itself once installed from dist/ (README "Bootstrapping a new environment").
  argoCdAddons,
  karpenterAddons,
  externalSecretsAddons,
  istioAddons,
  // Observability, ingress for the SRE tools, descheduling (charts/addons/sre-tools.ts names what they share).
  kubePrometheusStackAddons,
  victoriaMetricsAddons,
  kialiAddons,
  fluentBitAddons,
  otelCollectorAddons,
  ingressNginxAddons,
  oauth2ProxyAddons,
  deschedulerAddons,
  // Stateful tools sre runs for their teams (identity, saga): operator and chart, configured from the model.
  keycloakOperatorAddons,
  temporalAddons,
  // The contract broker of the delivery gates (in the environment the model names).
  pactBrokerAddons,
];

export function platformAddons(platform: Platform, env: Environment): AddonSpec[] {
  return ADDON_FACTORIES.flatMap((factory) => factory(platform, env));
}
