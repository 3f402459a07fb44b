/** Image references per environment, from the release files. */
import { ecrRegistry, ecrRepositoryName, serviceKey, type ServiceRef } from './naming';
import type { Environment, Platform, Service, ToolName } from './types';

/** Repository a service's image comes from: its own ECR repository unless the model names another. */
export function imageRepository(platform: Pick<Platform, 'name'>, env: Pick<Environment, 'account' | 'region'>, ref: ServiceRef, service: Pick<Service, 'imageRepository'>): string {
  return service.imageRepository ?? `${ecrRegistry(env)}/${ecrRepositoryName(platform, ref)}`;
}

/** Whether the platform builds the image (and so owns an ECR repository for it). */
export const buildsOwnImage = (service: Pick<Service, 'imageRepository'>): boolean => service.imageRepository === undefined;

/** Full image reference (`repo@sha256:...` or `repo:tag`) of a service in an environment. */
export function imageReference(platform: Platform, env: Environment, ref: ServiceRef, service: Service): string {
  const release = platform.releases.find((r) => r.environment === env.name);
  const image = release?.images[serviceKey(ref)];
  if (!image) throw new Error(`no release image for ${serviceKey(ref)} in ${env.name} (the model validation should have caught this)`);
  const repo = imageRepository(platform, env, ref, service);
  return image.digest ? `${repo}@${image.digest}` : `${repo}:${image.tag}`;
}

/** Full reference (`repo:tag@sha256:...`) of a tool image in an environment, from its release file. */
export function toolImageReference(platform: Pick<Platform, 'toolImages' | 'releases'>, env: Pick<Environment, 'name'>, tool: ToolName): string {
  const pinned = platform.releases.find((r) => r.environment === env.name)?.tools[tool];
  if (!pinned) throw new Error(`no release version of tool image ${tool} in ${env.name} (the model validation should have caught this)`);
  return `${platform.toolImages[tool].repository}:${pinned.tag}@${pinned.digest}`;
}

/**
 * Whether a sha256 digest can name a real manifest: 64 hex characters that are not one byte
 * repeated (`sha256:d6d6...` is a placeholder no registry serves).
 */
export const isPlausibleDigest = (digest: string): boolean => /^sha256:[a-f0-9]{64}$/.test(digest) && !/^sha256:(..)\1{31}$/.test(digest);
