import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { parseServiceKey, serviceHost } from '../../platform/naming';
import { edgeTraffic } from '../../platform/traffic';
import type { Platform, Service } from '../../platform/types';
import { meshServiceAt } from '../mesh/topology';

/** Where the BFF's routing config is mounted (the Nginx image's main config). */
export const NGINX_CONF_PATH = '/etc/nginx/nginx.conf';
export const nginxConfigMapName = (service: Pick<Service, 'name'>): string => `${service.name}-nginx`;

interface Upstream {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly protocol: 'http' | 'grpc';
  /** gRPC services (proto `package.Service`) the upstream serves: one location each. */
  readonly grpcServices: readonly string[];
  /** Read timeout of the edge, seconds (0 = streaming: the longest Nginx allows here). */
  readonly timeoutSeconds: number;
}

/** Read timeout Nginx uses for a streaming edge (Nginx has no "none"). */
export const STREAMING_READ_TIMEOUT_SECONDS = 3600;

/** The upstreams of a BFF: each declared service dependency, on its first serving port, with the edge's timeout. */
export function bffUpstreams(platform: Pick<Platform, 'teams'>, service: Service): Upstream[] {
  return service.dependencies.flatMap((dep) => {
    if (!('service' in dep)) return [];
    const ref = parseServiceKey(dep.service);
    const target = meshServiceAt(platform, ref)?.service;
    if (!target) return [];
    const port = target.ports.find((p) => p.name !== 'http-metrics') ?? target.ports[0];
    return [{ name: ref.service, host: serviceHost(ref), port: port.port, protocol: port.protocol, grpcServices: port.grpcServices, timeoutSeconds: edgeTraffic(dep, target).timeoutSeconds }];
  });
}

const readTimeout = (u: Upstream): string => `${u.timeoutSeconds === 0 ? STREAMING_READ_TIMEOUT_SECONDS : u.timeoutSeconds}s`;

/**
 * nginx.conf of a BFF (source 002 §6.1, §7.1: one Nginx per client, the API gateway in front of
 * the gRPC microservices; ngx_http_grpc_module). Browsers speak gRPC-Web; the Istio ingress
 * gateway bridges it to gRPC (Envoy grpc_web filter on its GRPC-Web server) and strips the public
 * prefix, so requests arrive here as gRPC over HTTP/2 on the BFF's gRPC port with the path
 * `/<package.Service>/<Method>`. Each gRPC service of each dependency gets its own location and
 * `grpc_pass` forwards the path unchanged (what the gRPC server expects); the `Authorization`
 * header (the user's token) is passed on, so every microservice verifies it. HTTP dependencies are
 * reached under `/<service>/` with the prefix stripped. Health checks are answered over HTTP/1.1
 * on the health port. The sidecar adds mTLS, so Nginx speaks plaintext to localhost. Writable
 * paths live under /tmp (read-only root filesystem).
 */
export function renderNginxConfig(service: Service, upstreams: readonly Upstream[]): string {
  const healthPort = service.ports.find((p) => p.name === service.health.port) ?? service.ports[0];
  const apiPort = service.ports.find((p) => p.name !== 'http-metrics' && p.name !== healthPort.name) ?? healthPort;
  const grpcServer = apiPort.protocol === 'grpc';
  const health = [`    location = ${service.health.readiness} {`, '      access_log off;', '      default_type text/plain;', '      return 200 "ok\\n";', '    }'];
  const routes = upstreams.flatMap((u) =>
    u.protocol === 'grpc'
      ? u.grpcServices.flatMap((g) => [`    location /${g}/ {`, `      grpc_pass grpc://${u.name};`, `      grpc_read_timeout ${readTimeout(u)};`, `      grpc_send_timeout ${readTimeout(u)};`, '    }'])
      : [`    location /${u.name}/ {`, `      proxy_pass http://${u.name}/;`, '      proxy_http_version 1.1;', '      proxy_set_header Connection "";', `      proxy_read_timeout ${readTimeout(u)};`, '    }'],
  );
  const notFound = ['    location / {', '      return 404;', '    }'];
  const server = (port: number, http2: boolean, body: string[]) => ['  server {', `    listen ${port};`, ...(http2 ? ['    http2 on;'] : []), ...body, ...notFound, '  }'];
  const servers =
    apiPort.port === healthPort.port ? server(apiPort.port, grpcServer, [...health, ...routes]) : [...server(healthPort.port, false, health), ...server(apiPort.port, grpcServer, routes)];
  const lines = [
    '# Rendered from the platform model: edit the BFF dependencies, not this file.',
    'worker_processes auto;',
    'pid /tmp/nginx.pid;',
    'events { worker_connections 1024; }',
    'http {',
    '  client_body_temp_path /tmp/client_body;',
    '  proxy_temp_path /tmp/proxy;',
    '  fastcgi_temp_path /tmp/fastcgi;',
    '  uwsgi_temp_path /tmp/uwsgi;',
    '  scgi_temp_path /tmp/scgi;',
    '  access_log /dev/stdout;',
    '  error_log /dev/stderr warn;',
    '  server_tokens off;',
    ...upstreams.flatMap((u) => [`  upstream ${u.name} {`, `    server ${u.host}:${u.port};`, '    keepalive 32;', '  }']),
    ...servers,
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

export interface BffNginxConfigProps {
  readonly platform: Platform;
  readonly service: Service;
  /** The BFF's Nginx container. */
  readonly container: kplus.Container;
}

/** The BFF's routing config as a ConfigMap, mounted over the image's nginx.conf. */
export class BffNginxConfig extends Construct {
  constructor(scope: Construct, id: string, props: BffNginxConfigProps) {
    super(scope, id);
    const config = new kplus.ConfigMap(this, 'config', {
      metadata: { name: nginxConfigMapName(props.service) },
      data: { 'nginx.conf': renderNginxConfig(props.service, bffUpstreams(props.platform, props.service)) },
    });
    props.container.mount(NGINX_CONF_PATH, kplus.Volume.fromConfigMap(this, 'volume', config, { name: 'nginx-conf' }), { subPath: 'nginx.conf', readOnly: true });
    props.container.mount('/var/cache/nginx', kplus.Volume.fromEmptyDir(this, 'cache', 'nginx-cache', { sizeLimit: Size.mebibytes(128) }));
  }
}
