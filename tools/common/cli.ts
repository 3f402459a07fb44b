/**
 * The command-line preamble every tool shares: `util.parseArgs` in strict mode with `-h/--help`,
 * one-line misuse errors followed by the usage (exit 2), and the repository layout options.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `--repo`, `--dist`, `--releases`, `--model`: where a tool finds the repository's parts (RepoLayout). */
export const LAYOUT_OPTIONS = {
  repo: { type: 'string', default: '.' },
  dist: { type: 'string', default: 'dist' },
  releases: { type: 'string', default: 'platform/example/releases' },
  model: { type: 'string' },
} as const satisfies Options;

const HELP = { help: { type: 'boolean', short: 'h', default: false } } as const satisfies Options;

/**
 * Parses `argv` against `options` (plus `--help`). Returns the parsed values and positionals, or
 * the exit code when the command is done: 0 after printing the usage for `--help`, 2 after a misuse.
 */
export function parseCommand<const O extends Options, const P extends boolean = false>(argv: readonly string[], usage: string, options: O, allowPositionals?: P) {
  const config = { args: [...argv], options: { ...options, ...HELP }, allowPositionals: (allowPositionals ?? false) as P, strict: true as const };
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  try {
    parsed = parseArgs(config);
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    return 0;
  }
  return parsed;
}
