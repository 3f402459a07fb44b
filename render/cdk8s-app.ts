/**
 * Entry point of `cdk8s synth` (see cdk8s.yaml): renders the same Kubernetes files as
 * `npm run synth` (workloads, cluster objects, ArgoCD apps-of-apps) into the folder cdk8s-cli
 * names in CDK8S_OUTDIR, with the same layout. Terraform stays with `npm run synth` / cdktf.json.
 */
import { main } from './main';

const out = process.env.CDK8S_OUTDIR ?? 'cdk8s.out';
void main(['--out', out, '--kubernetes-only', ...process.argv.slice(2)]).then((code) => (process.exitCode = code));
