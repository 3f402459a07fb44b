/**
 * `npm run trace -- <env> <METHOD> <URL> [-H 'name: value'] [--from <ns>/<service>] [--token-issuer ISS [--claim k=v]]`
 * Prints each hop of the request through dist/<env>/ and, when refused, the hop and the rule.
 */
import { parseArgs } from 'node:util';
import { fakeJwt } from './request-authentication';
import { loadDistTree } from './dist-tree';
import { formatTrace, traceRequest } from './trace';

const HELP = `usage: npm run trace -- <env> <METHOD> <URL> [options]

Traces one request through the rendered files of dist/<env>/ and prints every hop.

  <URL>                      https://<public or internal host>/path (from the internet),
                             http://<svc>.<ns>.svc.cluster.local:<port>/path, grpc://..., tcp://...
                             or https://<external host>/ (with --from)
  -H, --header 'name: value' request header (repeatable)
  --from <ns>/<deployment>   trace east-west from this workload ("<ns>/" = any Pod of the namespace)
  --token-issuer <issuer>    add "Authorization: Bearer" with an (unsigned) token of this issuer
  --sub <subject>            subject of that token (default "user-1")
  --claim <name>=<value>     a further claim of that token (repeatable); a JSON value is parsed
                             (--claim 'groups=["sre"]' --claim aud=temporal-ui)
  --dist <dir>               rendered tree (default dist)
  -h, --help                 this help

Exit status: 0 when the request reaches its backend, 1 when a hop refuses it, 2 on usage errors.`;

/** `name=value` pairs; a value that parses as JSON is taken as that JSON. */
function parseClaims(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new Error(`--claim "${pair}" is not "name=value"`);
    const raw = pair.slice(i + 1);
    try {
      out[pair.slice(0, i)] = JSON.parse(raw);
    } catch {
      out[pair.slice(0, i)] = raw;
    }
  }
  return out;
}

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      header: { type: 'string', short: 'H', multiple: true },
      from: { type: 'string' },
      'token-issuer': { type: 'string' },
      sub: { type: 'string' },
      claim: { type: 'string', multiple: true },
      dist: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 3) {
    console.error(HELP);
    return 2;
  }
  const [env, method, url] = positionals;
  const headers = [...(values.header ?? [])];
  if (values['token-issuer']) headers.push(`authorization: Bearer ${fakeJwt({ ...parseClaims(values.claim ?? []), iss: values['token-issuer'], sub: values.sub ?? 'user-1' })}`);
  const result = traceRequest(loadDistTree(env, values.dist ?? 'dist'), method, url, headers, { from: values.from });
  console.log(`${env}: ${values.from ?? 'internet'} -> ${method.toUpperCase()} ${url}`);
  console.log(formatTrace(result));
  return result.reached ? 0 : 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 2;
}
