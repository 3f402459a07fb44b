/**
 * The SRE tools' private settings, from AWS Secrets Manager through External Secrets (no value is
 * ever rendered): OAuth2 Proxy's OIDC client and cookie secrets, the incident channel's webhook
 * URL Alertmanager posts to, Grafana's break-glass admin password. Non-secret keys the charts
 * expect in the same Secret (client id, admin user name) are templated in.
 */
import { Construct } from 'constructs';
import { sreSecretsIn } from '../../platform/aws-names';
import { SRE_SECRETS, type SreSecret, sreSecretName } from '../../platform/naming';
import type { Environment, Platform } from '../../platform/types';
import { OAUTH2_PROXY_CLIENT_ID, SRE_K8S_SECRETS } from '../addons/sre-tools';
import { AwsSecret } from '../secrets/aws-secret';

/** Non-secret keys added to a Secret beside the ones read from AWS. */
const TEMPLATED: Partial<Record<SreSecret, Record<string, string>>> = {
  oauth2Proxy: { 'client-id': OAUTH2_PROXY_CLIENT_ID },
  grafanaAdmin: { 'admin-user': 'admin' },
};


export interface SreSecretsProps {
  readonly platform: Platform;
  readonly env: Environment;
  /** The namespace being rendered: only its secrets are rendered. */
  readonly namespace: string;
}

export class SreSecrets extends Construct {
  constructor(scope: Construct, id: string, props: SreSecretsProps) {
    super(scope, id);
    const { platform, env } = props;
    for (const secret of sreSecretsIn(props.namespace)) {
      const name = SRE_K8S_SECRETS[secret];
      new AwsSecret(this, secret, {
        name,
        keys: SRE_SECRETS[secret].properties.map((property) => ({ secretKey: property, key: sreSecretName(platform, env, secret), property })),
        template: TEMPLATED[secret],
      });
    }
  }
}
