import { LABEL_ENVIRONMENT, LABEL_MANAGED_BY, LABEL_PART_OF, LABEL_TEAM } from '../platform/naming';
import type { Environment, Platform, Team } from '../platform/types';

/** Labels every rendered object carries (who owns it, where it runs, what rendered it). */
export function commonLabels(platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>, team?: Pick<Team, 'name'>): Record<string, string> {
  return {
    [LABEL_PART_OF]: platform.name,
    [LABEL_MANAGED_BY]: 'cdk8s',
    [LABEL_ENVIRONMENT]: env.name,
    ...(team ? { [LABEL_TEAM]: team.name } : {}),
  };
}
