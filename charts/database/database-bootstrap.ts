import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { auroraEndpointParameter } from '../../platform/aws-names';
import {
  AURORA_PORT,
  auroraMasterSecretParameter,
  databaseSecretName,
  databaseUser,
  iamRoleArn,
  LABEL_COMPONENT,
  LABEL_NAME,
  PLATFORM_IDENTITIES,
  platformRoleName,
} from '../../platform/naming';
import type { Environment, Platform } from '../../platform/types';
import { HookJob } from '../jobs/hook-job';
import { toolImageReference } from '../../platform/images';
import { contractBrokerDatabase, hostsContractBroker } from '../../platform/gates';

export interface DatabaseBootstrapProps {
  readonly platform: Platform;
  readonly env: Environment;
}

/** Name of the bootstrap Job (and of its ConfigMap). */
export const DB_BOOTSTRAP_JOB = 'db-bootstrap';
const CONFIG_DIR = '/etc/db-bootstrap';

/**
 * One line per database user: "<database secret name> <user> <schema> [<extra schema> ...]", sorted.
 * The first schema is the one the secret names (DB_NAME); the user owns every schema of its line.
 */
export function bootstrapSchemas(platform: Platform, env: Environment): string {
  const lines = platform.teams.flatMap((t) =>
    t.namespaces.flatMap((ns) =>
      ns.services
        .filter((s) => s.database)
        .map((s) => [databaseSecretName(platform, env, { namespace: ns.name, service: s.name }), databaseUser(s.database!), s.database!.schema, ...s.database!.extraSchemas].join(' ')),
    ),
  );
  return `${lines.sort().join('\n')}\n`;
}

/**
 * One line per PostgreSQL role: "<database secret name> <role> <database>" (the contract broker's,
 * in the environment that runs it; platform/gates.ts contractBrokerDatabase). Empty elsewhere.
 */
export function bootstrapPostgresDatabases(platform: Platform, env: Environment): string {
  if (!hostsContractBroker(platform, env)) return '';
  const db = contractBrokerDatabase(platform, env);
  return `${[db.secretName, db.user, db.database].join(' ')}\n`;
}

/**
 * The idempotent script: for each schema, create it and its user (TLS required) with the master
 * credentials, keep an existing password or generate one, and store host, port, schema, user and
 * password in the service's database secret, which its ExternalSecret syncs. Passwords never leave
 * AWS Secrets Manager and the Pod's memory; they are never rendered.
 */
export const BOOTSTRAP_SCRIPT = `#!/bin/sh
set -eu
aws_() { aws --region "$AWS_REGION" "$@"; }
master_arn=$(aws_ ssm get-parameter --name "$MASTER_SECRET_PARAMETER" --query Parameter.Value --output text)
endpoint=$(aws_ ssm get-parameter --name "$ENDPOINT_PARAMETER" --query Parameter.Value --output text)
master=$(aws_ secretsmanager get-secret-value --secret-id "$master_arn" --query SecretString --output text)
admin=$(printf '%s' "$master" | jq -r .username)
MYSQL_PWD=$(printf '%s' "$master" | jq -r .password)
export MYSQL_PWD
mysql_() { mysql --host="$endpoint" --port="$DB_PORT" --user="$admin" --ssl-mode=VERIFY_IDENTITY --ssl-ca="$RDS_CA_BUNDLE" "$@"; }
while read -r secret user schema extra; do
  [ -n "$secret" ] || continue
  current=$(aws_ secretsmanager get-secret-value --secret-id "$secret" --query SecretString --output text 2>/dev/null || true)
  password=$(printf '%s' "$current" | jq -r '.DB_PASSWORD // empty' 2>/dev/null || true)
  if [ -z "$password" ]; then
    password=$(aws_ secretsmanager get-random-password --password-length 40 --exclude-punctuation --query RandomPassword --output text)
  fi
  mysql_ <<SQL
CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$password' REQUIRE SSL;
ALTER USER '$user'@'%' IDENTIFIED BY '$password' REQUIRE SSL;
SQL
  for db in $schema $extra; do
    mysql_ <<SQL
CREATE DATABASE IF NOT EXISTS \\\`$db\\\`;
GRANT ALL PRIVILEGES ON \\\`$db\\\`.* TO '$user'@'%';
SQL
  done
  jq -n --arg h "$endpoint" --arg p "$DB_PORT" --arg s "$schema" --arg u "$user" --arg w "$password" \\
    '{DB_HOST: $h, DB_PORT: $p, DB_NAME: $s, DB_USER: $u, DB_PASSWORD: $w}' > /tmp/value.json
  aws_ secretsmanager put-secret-value --secret-id "$secret" --secret-string file:///tmp/value.json > /dev/null
  rm -f /tmp/value.json
  echo "schemas $schema $extra of $user ready"
done < ${CONFIG_DIR}/schemas
# PostgreSQL databases (the contract broker's cluster, where this environment runs it): one line
# "<database secret name> <role> <database>"; the role owns its database.
if [ -s ${CONFIG_DIR}/postgres ]; then
  pg_master_arn=$(aws_ ssm get-parameter --name "$PG_MASTER_SECRET_PARAMETER" --query Parameter.Value --output text)
  pg_endpoint=$(aws_ ssm get-parameter --name "$PG_ENDPOINT_PARAMETER" --query Parameter.Value --output text)
  pg_master=$(aws_ secretsmanager get-secret-value --secret-id "$pg_master_arn" --query SecretString --output text)
  PGUSER=$(printf '%s' "$pg_master" | jq -r .username)
  PGPASSWORD=$(printf '%s' "$pg_master" | jq -r .password)
  export PGUSER PGPASSWORD
  while read -r secret user database; do
    [ -n "$secret" ] || continue
    current=$(aws_ secretsmanager get-secret-value --secret-id "$secret" --query SecretString --output text 2>/dev/null || true)
    password=$(printf '%s' "$current" | jq -r '.DB_PASSWORD // empty' 2>/dev/null || true)
    if [ -z "$password" ]; then
      password=$(aws_ secretsmanager get-random-password --password-length 40 --exclude-punctuation --query RandomPassword --output text)
    fi
    psql "host=$pg_endpoint port=$PG_PORT dbname=postgres sslmode=verify-full sslrootcert=$RDS_CA_BUNDLE" -v ON_ERROR_STOP=1 \\
      -v role="$user" -v password="$password" -v database="$database" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role')\\gexec
ALTER ROLE :"role" WITH LOGIN PASSWORD :'password';
GRANT :"role" TO CURRENT_USER;
SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'role') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database')\\gexec
SQL
    jq -n --arg h "$pg_endpoint" --arg p "$PG_PORT" --arg s "$database" --arg u "$user" --arg w "$password" \\
      '{DB_HOST: $h, DB_PORT: $p, DB_NAME: $s, DB_USER: $u, DB_PASSWORD: $w}' > /tmp/value.json
    aws_ secretsmanager put-secret-value --secret-id "$secret" --secret-string file:///tmp/value.json > /dev/null
    rm -f /tmp/value.json
    echo "database $database of $user ready"
  done < ${CONFIG_DIR}/postgres
fi
`;

/**
 * Creates each service's schema and user on the shared Aurora cluster before its migration runs
 * (source 002 §8.1: one cluster, one schema per microservice). It runs in an sre namespace as the
 * only identity that can read the Aurora master secret, on every sync of that namespace (so a new
 * service's schema is created as soon as the model names it).
 */
export class DatabaseBootstrap extends Construct {
  constructor(scope: Construct, id: string, props: DatabaseBootstrapProps) {
    super(scope, id);
    const { platform, env } = props;
    const identity = PLATFORM_IDENTITIES.dbBootstrap;
    const broker = hostsContractBroker(platform, env) ? contractBrokerDatabase(platform, env) : undefined;

    new kplus.ServiceAccount(this, 'service-account', {
      metadata: { name: identity.serviceAccount, annotations: { 'eks.amazonaws.com/role-arn': iamRoleArn(env, platformRoleName(platform, env, 'dbBootstrap')) } },
      automountToken: false,
    });

    const config = new kplus.ConfigMap(this, 'config', {
      metadata: { name: DB_BOOTSTRAP_JOB },
      data: { 'bootstrap.sh': BOOTSTRAP_SCRIPT, schemas: bootstrapSchemas(platform, env), ...(broker ? { postgres: bootstrapPostgresDatabases(platform, env) } : {}) },
    });

    const job = new HookJob(this, 'job', {
      name: DB_BOOTSTRAP_JOB,
      phase: 'Sync',
      image: toolImageReference(platform, env, 'dbBootstrap'),
      command: ['/bin/sh', `${CONFIG_DIR}/bootstrap.sh`],
      serviceAccountName: identity.serviceAccount,
      env: {
        AWS_REGION: env.region,
        MASTER_SECRET_PARAMETER: auroraMasterSecretParameter(platform, env),
        ENDPOINT_PARAMETER: auroraEndpointParameter(platform, env),
        DB_PORT: String(AURORA_PORT),
        RDS_CA_BUNDLE: '/etc/ssl/certs/rds-global-bundle.pem',
        ...(broker ? { PG_MASTER_SECRET_PARAMETER: broker.masterSecretParameter, PG_ENDPOINT_PARAMETER: broker.endpointParameter, PG_PORT: String(broker.port) } : {}),
      },
      podLabels: { [LABEL_NAME]: DB_BOOTSTRAP_JOB, [LABEL_COMPONENT]: 'database-bootstrap' },
      cpu: kplus.Cpu.millis(100),
      memory: Size.mebibytes(128),
    });
    job.job.containers[0].mount(CONFIG_DIR, kplus.Volume.fromConfigMap(this, 'volume', config, { name: 'config' }), { readOnly: true });
  }
}
