/**
 * What the platform still renders for a service whose Pods a maintained installer creates (the
 * Keycloak Operator, the Temporal chart): its ServiceAccount (the mesh identity the installer is told
 * to use), the Services clients and Prometheus use (named after the model service, selecting the
 * installer's Pods by `LABEL_WORKLOAD`), its secrets (ExternalSecrets) and its monitoring.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { selectorLabels, serviceAccountName } from '../../platform/naming';
import type { Environment, Namespace, Platform, Service, ServicePort, Team } from '../../platform/types';
import { metricsPort, ServiceMonitoring } from '../monitoring/service-monitoring';
import { ServiceSecrets } from '../secrets/service-secrets';

export interface ManagedServiceProps {
  readonly platform: Platform;
  readonly env: Environment;
  readonly team: Team;
  readonly namespace: Namespace;
  readonly service: Service;
  /** Labels the installer sets that narrow the client Service to the serving Pods. @default none */
  readonly servingLabels?: Readonly<Record<string, string>>;
  /** Render the ServiceAccount (false when another model service's installer creates it). @default true */
  readonly serviceAccount?: boolean;
  /** Further keys of the `<service>-app` Secret templated from the declared ones (ServiceSecrets `appTemplate`). @default none */
  readonly appTemplate?: Readonly<Record<string, string>>;
}

/** Name of the headless Service that lists every Pod of a managed service for the metrics scrape. */
export const metricsServiceName = (service: Pick<Service, 'name'>): string => `${service.name}-metrics`;

export class ManagedService extends Construct {
  /** Kubernetes Secrets the service's ExternalSecrets materialize. */
  public readonly secretNames: readonly string[];

  constructor(scope: Construct, id: string, props: ManagedServiceProps) {
    super(scope, id);
    const { platform, env, team, namespace, service } = props;
    const selector = selectorLabels(service);
    const scrape = metricsPort(service);

    if (props.serviceAccount ?? true) {
      new kplus.ServiceAccount(this, 'service-account', { metadata: { name: serviceAccountName(service) }, automountToken: false });
    }

    const secrets = new ServiceSecrets(this, 'secrets', { platform, env, namespace, service, appTemplate: props.appTemplate });
    this.secretNames = secrets.secretNames;

    // Clients: the serving ports, on the Pods that serve them.
    const serving = service.ports.filter((p) => p !== scrape || scrape === service.ports[0]);
    this.service('service', service.name, selector, { ...selector, ...props.servingLabels }, serving, false);
    // Prometheus: every Pod of the service on its metrics port (a headless Service the ServiceMonitor selects).
    if (scrape && scrape !== service.ports[0]) this.service('metrics', metricsServiceName(service), selector, selector, [scrape], true);

    new ServiceMonitoring(this, 'monitoring', { env, team, namespace, service });
  }

  private service(id: string, name: string, labels: Record<string, string>, select: Record<string, string>, ports: readonly ServicePort[], headless: boolean): void {
    const svc = new kplus.Service(this, id, {
      metadata: { name, labels },
      type: kplus.ServiceType.CLUSTER_IP,
      clusterIP: headless ? 'None' : undefined,
      ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port })),
    });
    for (const [key, value] of Object.entries(select)) svc.selectLabel(key, value);
    const obj = ApiObject.of(svc);
    // appProtocol tells Istio which ports speak HTTP and which gRPC.
    ports.forEach((p, i) => obj.addJsonPatch(JsonPatch.add(`/spec/ports/${i}/appProtocol`, p.protocol)));
    obj.addJsonPatch(JsonPatch.remove('/spec/externalIPs'));
  }
}
