/**
 * The values the AWS and Kubernetes layers share, derived once from the model. Each entry names
 * who produces the value (a Terraform stack) and who consumes it (a Kubernetes object and field).
 * The render checks every entry against both rendered layers (render/contract.ts).
 */
import { buildsOwnImage, imageRepository } from './images';
import { ecrRepositoryName, iamRoleArn, namespacePath, objectFileName, serviceAccountName, serviceRoleName } from './naming';
import type { Environment, Platform } from './types';

export interface ContractProducer {
  readonly layer: 'terraform';
  /** Stack name under dist/<env>/terraform/. */
  readonly stack: string;
  /** What in the stack carries the value. */
  readonly resource: string;
  /** Strings the stack's JSON must contain for the value to be produced there. */
  readonly evidence: readonly string[];
}

export interface ContractConsumer {
  readonly layer: 'kubernetes';
  /** File of the consuming object, relative to the repository root. */
  readonly file: string;
  /** Field of the object that carries the value. */
  readonly field: string;
}

export interface ContractEntry {
  readonly name: string;
  readonly value: string;
  readonly producer: ContractProducer;
  readonly consumers: readonly ContractConsumer[];
}

export function contractEntries(platform: Platform, env: Environment): ContractEntry[] {
  const entries: ContractEntry[] = [];
  for (const team of platform.teams) {
    for (const ns of team.namespaces) {
      for (const service of ns.services) {
        const ref = { namespace: ns.name, service: service.name };
        const dir = namespacePath(env, ns);
        if (service.aws.length > 0) {
          const role = serviceRoleName(platform, env, ref);
          entries.push({
            name: `iam-role/${ns.name}/${service.name}`,
            value: iamRoleArn(env, role),
            producer: {
              layer: 'terraform',
              stack: 'cluster',
              resource: `aws_iam_role ${role} trusting system:serviceaccount:${ns.name}:${serviceAccountName(service)}`,
              evidence: [role, `system:serviceaccount:${ns.name}:${serviceAccountName(service)}`],
            },
            consumers: [{ layer: 'kubernetes', file: `${dir}/${objectFileName('ServiceAccount', serviceAccountName(service))}`, field: 'metadata.annotations["eks.amazonaws.com/role-arn"]' }],
          });
        }
        if (buildsOwnImage(service)) {
          entries.push({
            name: `ecr-repository/${ns.name}/${service.name}`,
            value: imageRepository(platform, env, ref, service),
            producer: { layer: 'terraform', stack: 'ecr', resource: `aws_ecr_repository ${ecrRepositoryName(platform, ref)}`, evidence: [ecrRepositoryName(platform, ref)] },
            consumers: [{ layer: 'kubernetes', file: `${dir}/${objectFileName('Deployment', service.name)}`, field: 'spec.template.spec.containers[app].image' }],
          });
        }
      }
    }
  }
  return entries;
}
