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
import { DatabaseRotation } from './database-rotation';
import { toolImageReference } from '../../platform/images';
import { policyNetwork } from '../../platform/network';
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
 * credentials, generate a password for a user whose secret holds none yet, and store host, port,
 * schema, user and password in the service's database secret, which its ExternalSecret syncs. An
 * existing password is never changed here (that is the rotation's, below): a concurrent rotation
 * can never be undone by a sync.
 *
 * With ROTATE_AFTER_SECONDS set (the DB rotation CronJob), a secret whose current version is that
 * old is rotated in the four steps of a Secrets Manager rotation (AWS "Rotation by Lambda
 * function": create, set, test, finish), resumable after a failure at any step:
 * a new password is staged AWSPENDING; unless it already logs in, it becomes the user's primary
 * password with `RETAIN CURRENT PASSWORD` (MySQL dual passwords, supported by Aurora MySQL: AWS
 * "Password policies and Password validation in Aurora MySQL"), so the password consumers hold
 * stays valid until the next rotation; a login with it is tested; AWSPENDING becomes AWSCURRENT.
 * Passwords never leave AWS Secrets Manager and the Pod's memory; they are never rendered.
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
# Whether a service user logs in with a password (its own credentials, not the master's).
login_() { MYSQL_PWD="$2" mysql --host="$endpoint" --port="$DB_PORT" --user="$1" --ssl-mode=VERIFY_IDENTITY --ssl-ca="$RDS_CA_BUNDLE" -e 'SELECT 1' > /dev/null 2>&1; }
new_password() { aws_ secretsmanager get-random-password --password-length 40 --exclude-punctuation --query RandomPassword --output text; }
# version <secret> <stage>: that version of the secret as JSON, or nothing.
version() { aws_ secretsmanager get-secret-value --secret-id "$1" --version-stage "$2" --output json 2>/dev/null || true; }
password_of() { printf '%s' "$1" | jq -r '.SecretString // empty | fromjson | .DB_PASSWORD // empty' 2>/dev/null || true; }
# put <secret> <schema> <user> <password> [<stage>]: a new version of the secret.
put() {
  jq -n --arg h "$endpoint" --arg p "$DB_PORT" --arg s "$2" --arg u "$3" --arg w "$4" \\
    '{DB_HOST: $h, DB_PORT: $p, DB_NAME: $s, DB_USER: $u, DB_PASSWORD: $w}' > /tmp/value.json
  aws_ secretsmanager put-secret-value --secret-id "$1" --secret-string file:///tmp/value.json \\
    --version-stages "\${5:-AWSCURRENT}" > /dev/null
  rm -f /tmp/value.json
}
# bootstrap <secret> <user> <password or empty> <schema> [<extra> ...]
bootstrap() {
  secret=$1 user=$2 password=$3; shift 3
  if [ -z "$password" ]; then
    password=$(new_password)
    mysql_ <<SQL
CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$password' REQUIRE SSL;
ALTER USER '$user'@'%' IDENTIFIED BY '$password' REQUIRE SSL;
SQL
    put "$secret" "$1" "$user" "$password"
  elif ! login_ "$user" "$password"; then
    # Repair (the user was re-created by hand): without RETAIN, MySQL keeps any secondary password.
    mysql_ <<SQL
CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$password' REQUIRE SSL;
ALTER USER '$user'@'%' IDENTIFIED BY '$password' REQUIRE SSL;
SQL
  fi
  for db in "$@"; do
    mysql_ <<SQL
CREATE DATABASE IF NOT EXISTS \\\`$db\\\`;
GRANT ALL PRIVILEGES ON \\\`$db\\\`.* TO '$user'@'%';
SQL
  done
  echo "schemas $* of $user ready"
}
# rotate <secret> <user> <schema> <current version JSON>: create, set, test, finish.
rotate() {
  secret=$1 user=$2 schema=$3 current=$4
  pending=$(version "$secret" AWSPENDING)
  next=$(password_of "$pending")
  if [ -z "$next" ]; then
    created=$(printf '%s' "$current" | jq -r '.CreatedDate | if type == "number" then floor else (sub("\\\\.[0-9]+"; "") | sub("(\\\\+00:00)?$"; "Z") | sub("ZZ$"; "Z") | fromdateiso8601) end')
    [ $((now - created)) -ge "$ROTATE_AFTER_SECONDS" ] || return 0
    next=$(new_password)
    put "$secret" "$schema" "$user" "$next" AWSPENDING
    pending=$(version "$secret" AWSPENDING)
  fi
  if ! login_ "$user" "$next"; then
    mysql_ <<SQL
ALTER USER '$user'@'%' IDENTIFIED BY '$next' RETAIN CURRENT PASSWORD;
SQL
  fi
  login_ "$user" "$next" || { echo "rotation of $user: the new password does not log in" >&2; return 1; }
  aws_ secretsmanager update-secret-version-stage --secret-id "$secret" --version-stage AWSCURRENT \\
    --move-to-version-id "$(printf '%s' "$pending" | jq -r .VersionId)" --remove-from-version-id "$(printf '%s' "$current" | jq -r .VersionId)" > /dev/null
  aws_ secretsmanager update-secret-version-stage --secret-id "$secret" --version-stage AWSPENDING \\
    --remove-from-version-id "$(printf '%s' "$pending" | jq -r .VersionId)" > /dev/null
  echo "password of $user rotated (the previous one stays valid until the next rotation)"
}
now=$(date +%s)
while read -r secret user schema extra; do
  [ -n "$secret" ] || continue
  current=$(version "$secret" AWSCURRENT)
  password=$(password_of "$current")
  if [ -z "\${ROTATE_AFTER_SECONDS:-}" ]; then
    # shellcheck disable=SC2086
    bootstrap "$secret" "$user" "$password" $schema $extra
  elif [ -n "$password" ]; then
    rotate "$secret" "$user" "$schema" "$current"
  else
    echo "$user: not bootstrapped yet (the next sync creates it), nothing to rotate"
  fi
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
 * service's schema is created as soon as the model names it); and, daily, the rotation of the
 * passwords that are due (DatabaseRotation).
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

    const scriptEnv = {
      AWS_REGION: env.region,
      MASTER_SECRET_PARAMETER: auroraMasterSecretParameter(platform, env),
      ENDPOINT_PARAMETER: auroraEndpointParameter(platform, env),
      DB_PORT: String(AURORA_PORT),
      RDS_CA_BUNDLE: '/etc/ssl/certs/rds-global-bundle.pem',
      ...(broker ? { PG_MASTER_SECRET_PARAMETER: broker.masterSecretParameter, PG_ENDPOINT_PARAMETER: broker.endpointParameter, PG_PORT: String(broker.port) } : {}),
    };
    const job = new HookJob(this, 'job', {
      name: DB_BOOTSTRAP_JOB,
      phase: 'Sync',
      image: toolImageReference(platform, env, 'dbBootstrap'),
      command: ['/bin/sh', `${CONFIG_DIR}/bootstrap.sh`],
      serviceAccountName: identity.serviceAccount,
      env: scriptEnv,
      podLabels: { [LABEL_NAME]: DB_BOOTSTRAP_JOB, [LABEL_COMPONENT]: 'database-bootstrap' },
      // SSM, Secrets Manager and STS through their VPC endpoints, then Aurora.
      network: { network: policyNetwork(env), egress: ['aurora', 'vpc-https'] },
      cpu: kplus.Cpu.millis(100),
      memory: Size.mebibytes(128),
    });
    job.job.containers[0].mount(CONFIG_DIR, kplus.Volume.fromConfigMap(this, 'volume', config, { name: 'config' }), { readOnly: true });
    // The same script, daily, rotating the passwords that are due (database-rotation.ts).
    new DatabaseRotation(this, 'rotation', { platform, env, config, configDir: CONFIG_DIR, scriptEnv });
  }
}
