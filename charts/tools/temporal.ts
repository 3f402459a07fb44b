/**
 * The namespace side of Temporal (the server and UI Pods come from the official chart,
 * charts/addons/temporal.ts): the ServiceAccount the chart is told to use, the `temporal` Service
 * clients call (the frontend Pods, gRPC 7233, the model's host), a headless Service over every
 * server Pod for the metrics scrape, the UI's Service, and the secrets (database credentials, the
 * UI's OIDC client secret) from AWS Secrets Manager.
 */
import { Construct } from 'constructs';
import type { Environment, Namespace, Platform, Service, Team } from '../../platform/types';
import { ManagedService } from './managed-service';

/** Label the chart puts on each server service's Pods (`app.kubernetes.io/component`), and the one clients reach. */
export const TEMPORAL_COMPONENT_LABEL = 'app.kubernetes.io/component';
export const TEMPORAL_FRONTEND_COMPONENT = 'frontend';

export interface TemporalProps {
  readonly platform: Platform;
  readonly env: Environment;
  readonly team: Team;
  readonly namespace: Namespace;
  readonly service: Service;
}

export class TemporalServer extends Construct {
  constructor(scope: Construct, id: string, props: TemporalProps) {
    super(scope, id);
    new ManagedService(this, 'service', { ...props, servingLabels: { [TEMPORAL_COMPONENT_LABEL]: TEMPORAL_FRONTEND_COMPONENT } });
  }
}

export class TemporalWeb extends Construct {
  constructor(scope: Construct, id: string, props: TemporalProps) {
    super(scope, id);
    // The chart runs the UI with the server's ServiceAccount.
    new ManagedService(this, 'service', { ...props, serviceAccount: false });
  }
}
