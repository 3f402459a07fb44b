/**
 * `npm run synth`: validates the model, renders every environment in memory, and only then
 * replaces dist/. Any problem exits non-zero with every problem listed, and dist/ untouched.
 *
 *   tsx render/main.ts [--out DIR] [--model FILE] [--releases DIR] [--kubernetes-only]
 */
import * as path from 'path';
import { loadPlatform } from '../platform/load';
import { ModelError } from '../platform/validate';
import { RenderError } from './rendered-file';
import { renderPlatform } from './render';
import { writeTree } from './write-tree';

interface Args {
  out: string;
  model?: string;
  releases?: string;
  kubernetesOnly: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { out: path.resolve('dist'), kubernetesOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--out') args.out = path.resolve(value());
    else if (flag === '--model') args.model = path.resolve(value());
    else if (flag === '--releases') args.releases = path.resolve(value());
    else if (flag === '--kubernetes-only') args.kubernetesOnly = true;
    else throw new Error(`unknown argument ${flag}`);
  }
  return args;
}

export function main(argv: readonly string[]): number {
  const started = process.hrtime.bigint();
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    console.error(`usage: synth [--out DIR] [--model FILE] [--releases DIR] [--kubernetes-only]\n${(err as Error).message}`);
    return 2;
  }
  try {
    const platform = loadPlatform({ modelFile: args.model, releasesDir: args.releases });
    const files = renderPlatform(platform, { terraform: !args.kubernetesOnly, onEnvironment: (env, i, n) => i > 0 && process.stderr.isTTY && process.stderr.write(`rendering ${env} (${i + 1}/${n}, ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s)\n`) });
    const summary = writeTree(args.out, files);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(
      `Rendered ${platform.environments.length} environments, ${summary.total} files into ${path.relative(process.cwd(), args.out) || '.'}: ` +
        `${summary.written} written, ${summary.unchanged} unchanged, ${summary.deleted} deleted (${ms.toFixed(0)} ms)`,
    );
    return 0;
  } catch (err) {
    if (err instanceof ModelError || err instanceof RenderError) {
      console.error(`${err.message}\nNothing was written.`);
      return 1;
    }
    console.error(err);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
