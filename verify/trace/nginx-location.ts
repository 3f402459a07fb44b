/**
 * Hop: the BFF's Nginx (its nginx.conf, rendered into the `<bff>-nginx` ConfigMap), parsed with
 * the maintained `nginx-conf` parser.
 *
 * Encodes nginx.org/en/docs/http/ngx_http_core_module.html#location: the server whose `listen`
 * port the request arrived on; then an exact (`=`) location wins at once; else the longest
 * matching prefix is remembered, and used at once if it is `^~`; else regex locations (`~`, `~*`)
 * are tried in config order and the first match wins; else the remembered prefix. Then
 * `return <code>` answers; `grpc_pass grpc://<upstream>` forwards the request URI unchanged
 * (ngx_http_grpc_module takes no URI); `proxy_pass http://<upstream>/<uri>` replaces the matched
 * prefix with <uri> (ngx_http_proxy_module#proxy_pass). `upstream` blocks name the servers.
 */
import { type NginxParseTreeNode, NginxParser } from 'nginx-conf/dist/src/parser';
import { type DistTree, objectNamed, ref } from './dist-tree';
import { type Hop, refuse, type TraceRequest } from './hop';

export interface NginxResult {
  readonly hop: Hop;
  /** The upstream request, when forwarded. */
  readonly upstream?: { readonly host: string; readonly port: number; readonly protocol: 'grpc' | 'http'; readonly path: string };
}

export function parseNginx(source: string): NginxParseTreeNode {
  let tree: NginxParseTreeNode | undefined;
  let error: Error | null = null;
  new NginxParser().parse(source, (err, t) => {
    error = err;
    tree = t;
  });
  if (error || !tree) throw new Error(`nginx.conf does not parse: ${String(error)}`);
  return tree;
}

const children = (n: NginxParseTreeNode, name: string): NginxParseTreeNode[] => (n.children ?? []).filter((c) => c.name === name);
const directive = (n: NginxParseTreeNode, name: string): string | undefined => children(n, name)[0]?.value;

/** The ConfigMap holding a workload's nginx.conf, when it has one (BFFs). */
export function nginxConfigOf(tree: DistTree, namespace: string, deployment: string): { object: string; source: string } | undefined {
  const cm = objectNamed(tree, 'ConfigMap', namespace, `${deployment}-nginx`);
  const source = cm?.data?.['nginx.conf'];
  return cm && typeof source === 'string' ? { object: ref(cm), source } : undefined;
}

interface Location {
  readonly node: NginxParseTreeNode;
  readonly modifier: '=' | '^~' | '~' | '~*' | '';
  readonly pattern: string;
}

function locationsOf(server: NginxParseTreeNode): Location[] {
  return children(server, 'location').map((node) => {
    const parts = node.value.trim().split(/\s+/);
    const modifier = (['=', '^~', '~', '~*'].includes(parts[0]) ? parts[0] : '') as Location['modifier'];
    return { node, modifier, pattern: modifier ? parts.slice(1).join(' ') : parts[0] };
  });
}

export function selectLocation(server: NginxParseTreeNode, path: string): Location | undefined {
  const locations = locationsOf(server);
  const exact = locations.find((l) => l.modifier === '=' && l.pattern === path);
  if (exact) return exact;
  const prefixes = locations.filter((l) => (l.modifier === '' || l.modifier === '^~') && path.startsWith(l.pattern)).sort((a, b) => b.pattern.length - a.pattern.length);
  if (prefixes[0]?.modifier === '^~') return prefixes[0];
  const regex = locations.find((l) => (l.modifier === '~' || l.modifier === '~*') && new RegExp(l.pattern, l.modifier === '~*' ? 'i' : '').test(path));
  return regex ?? prefixes[0];
}

export function evaluateNginx(tree: DistTree, namespace: string, deployment: string, port: number, req: TraceRequest): NginxResult | undefined {
  const conf = nginxConfigOf(tree, namespace, deployment);
  if (!conf) return undefined;
  const root = parseNginx(conf.source);
  const http = children(root, 'http')[0];
  if (!http) return { hop: refuse('Nginx', conf.object, 'no http block', 'nginx.conf http {}', '502') };
  const server = children(http, 'server').find((s) => children(s, 'listen').some((l) => Number(l.value.split(/\s+/)[0].split(':').pop()) === port));
  if (!server) return { hop: refuse('Nginx', conf.object, `no server listens on ${port}`, 'server listen', 'connection refused') };
  const path = req.path.split('?')[0];
  const loc = selectLocation(server, path);
  if (!loc) return { hop: refuse('Nginx', conf.object, `no location matches ${path}`, 'location', '404') };
  const where = `location ${loc.modifier ? `${loc.modifier} ` : ''}${loc.pattern}`;
  const ret = directive(loc.node, 'return');
  if (ret !== undefined) {
    const code = ret.split(/\s+/)[0];
    if (Number(code) >= 400) return { hop: refuse('Nginx', conf.object, `${where} answers ${code}`, `${conf.object} ${where} { return ${code}; }`, code) };
    return { hop: { hop: 'Nginx', object: conf.object, detail: `${where} answers ${ret}` } };
  }
  const grpc = directive(loc.node, 'grpc_pass');
  const proxy = directive(loc.node, 'proxy_pass');
  const target = grpc ?? proxy;
  if (!target) return { hop: refuse('Nginx', conf.object, `${where} has no handler`, where, '404') };
  const m = /^(grpcs?|https?):\/\/([^/]+)(\/.*)?$/.exec(target);
  if (!m) return { hop: refuse('Nginx', conf.object, `${where}: cannot read ${target}`, where, '502') };
  const [, scheme, name, uri] = m;
  let upstreamPath = path;
  if (proxy && uri !== undefined && loc.modifier === '') upstreamPath = uri + path.slice(loc.pattern.length);
  const up = children(http, 'upstream').find((u) => u.value === name);
  const server0 = up ? directive(up, 'server') : name;
  const [host, p] = (server0 ?? '').split(/\s+/)[0].split(':');
  const protocol = scheme.startsWith('grpc') ? 'grpc' : 'http';
  const timeout = directive(loc.node, protocol === 'grpc' ? 'grpc_read_timeout' : 'proxy_read_timeout') ?? directive(http, protocol === 'grpc' ? 'grpc_read_timeout' : 'proxy_read_timeout');
  return {
    hop: { hop: 'Nginx', object: conf.object, detail: `${where} -> ${grpc ? 'grpc_pass' : 'proxy_pass'} ${target} (upstream ${host}:${p}) path ${upstreamPath}, read timeout ${timeout ?? '60s'}` },
    upstream: { host, port: Number(p || (protocol === 'grpc' ? 80 : 80)), protocol, path: upstreamPath },
  };
}
