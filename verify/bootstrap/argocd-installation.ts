/**
 * Argo CD itself is an Application of the upstream `argo-cd` chart (argoproj/argo-helm
 * charts/argo-cd), configured for what the rest of the tree relies on:
 * - `configs.cm."resource.customizations.health.argoproj.io_Application"`: without it an
 *   Application has no health, so app-of-apps sync waves only order creation (argo-cd docs
 *   operator-manual/upgrading/1.7-1.8.md, operator-manual/health.md "Argo CD App").
 * - every config management plugin an Application names is a sidecar of the repo-server running
 *   `argocd-cmp-server` with its ConfigManagementPlugin mounted as plugin.yaml (argo-cd docs
 *   operator-manual/config-management-plugins.md; argo-helm `configs.cmp.plugins` renders
 *   argocd-cmp-cm with one `<name>.yaml` key per plugin); the repo-server's ServiceAccount names an
 *   IAM role (IRSA) rendered by Terraform, so the plugin can decrypt.
 * - its Pods tolerate the managed node groups' taints (`global.tolerations`), the only nodes
 *   before Karpenter runs.
 */
import type { Check, Finding } from '../registry';
import { nodeGroupTaints, toleratesAll } from '../upstream/tolerations';

export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';

export const argocdInstallation: Check = {
  id: 'argocd-installation',
  description: 'Argo CD is an add-on of the argo-cd chart with Application health, the plugins the tree uses, and system-node tolerations',
  run: (sim) => {
    const out: Omit<Finding, 'rule'>[] = [];
    const argo = sim.apps.filter((a) => a.charts.some((c) => c.chart === 'argo-cd'));
    const root = sim.apps[0];
    if (!root) return [];
    if (argo.length === 0) {
      return [{ file: root.app.file, message: 'no Application installs Argo CD (chart argo-cd): it stays hand-installed, without the Application health check, plugins or tolerations the tree needs' }];
    }
    for (const a of argo) {
      const values = a.charts.find((c) => c.chart === 'argo-cd')!.values ?? {};
      if (!values.configs?.cm?.[APPLICATION_HEALTH_KEY]) out.push({ file: a.app.file, message: `Application ${a.name}: configs.cm lacks ${APPLICATION_HEALTH_KEY}: app-of-apps sync waves do not wait for child Applications to be Healthy` });
      const plugins = [...new Set(sim.apps.flatMap((x) => x.plugins.map((p) => p.plugin)))].sort();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const sidecars: any[] = values.repoServer?.extraContainers ?? [];
      for (const p of plugins) {
        if (!values.configs?.cmp?.plugins?.[p]) out.push({ file: a.app.file, message: `Application ${a.name}: configs.cmp.plugins has no "${p}", which Applications name as their plugin` });
        const sidecar = sidecars.find((c) => (c.command ?? []).some((x: string) => x.endsWith('argocd-cmp-server')) && (c.volumeMounts ?? []).some((m: { subPath?: string }) => m.subPath === `${p}.yaml`));
        if (!sidecar) out.push({ file: a.app.file, message: `Application ${a.name}: repoServer.extraContainers has no argocd-cmp-server sidecar mounting ${p}.yaml: plugin "${p}" is never found` });
      }
      if (plugins.length > 0) {
        const arn: string | undefined = values.repoServer?.serviceAccount?.annotations?.['eks.amazonaws.com/role-arn'];
        const roleName = arn?.split('/').pop();
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const roles = [...sim.tree.terraform.values()].flatMap((s) => Object.values<any>(s.resource?.aws_iam_role ?? {}).map((r) => r.name));
        if (!roleName || !roles.includes(roleName)) out.push({ file: a.app.file, message: `Application ${a.name}: the repo-server runs plugins (${plugins.join(', ')}) but its ServiceAccount names no IAM role Terraform renders (${arn ?? 'no eks.amazonaws.com/role-arn'})` });
      }
      const groups = [...sim.tree.terraform.values()].flatMap(nodeGroupTaints);
      if (groups.length > 0 && !groups.some((g) => toleratesAll(values.global?.tolerations, g.taints))) {
        out.push({ file: a.app.file, message: `Application ${a.name}: global.tolerations tolerate none of the managed node groups' taints: Argo CD never schedules on a fresh cluster` });
      }
    }
    return out;
  },
};
