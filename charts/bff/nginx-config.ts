import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { parseServiceKey, serviceHost } from '../../platform/naming';
import type { Platform, Service } from '../../platform/types';

/** Where the BFF's routing config is mounted (the Nginx image's main config). */
export const NGINX_CONF_PATH = '/etc/nginx/nginx.conf';
export const nginxConfigMapName = (service: Pick<Service, 'name'>): string => `${service.name}-nginx`;

interface Upstream {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly protocol: 'http' | 'grpc';
}

/** The upstreams of a BFF: each declared service dependency, on its first port. */
export function bffUpstreams(platform: Pick<Platform, 'teams'>, service: Service): Upstream[] {
  return service.dependencies.flatMap((dep) => {
    if (!('service' in dep)) return [];
    const ref = parseServiceKey(dep.service);
    const target = platform.teams.flatMap((t) => t.namespaces).find((n) => n.name === ref.namespace)?.services.find((s) => s.name === ref.service);
    if (!target) return [];
    const port = target.ports[0];
    return [{ name: ref.service, host: serviceHost(ref), port: port.port, protocol: port.protocol }];
  });
}

/**
 * nginx.conf of a BFF (source 002 §6.1, §7.1: one Nginx per client; gRPC upstreams through
 * ngx_http_grpc_module). Each upstream is reached under `/<service>/`; the sidecar adds mTLS, so
 * Nginx speaks plaintext to localhost. Writable paths live under /tmp (read-only root filesystem).
 */
export function renderNginxConfig(service: Service, upstreams: readonly Upstream[]): string {
  const port = service.ports.find((p) => p.name === service.health.port) ?? service.ports[0];
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
    `  proxy_read_timeout ${service.traffic.timeoutSeconds}s;`,
    `  grpc_read_timeout ${service.traffic.timeoutSeconds}s;`,
    ...upstreams.flatMap((u) => [`  upstream ${u.name} {`, `    server ${u.host}:${u.port};`, '    keepalive 32;', '  }']),
    '  server {',
    `    listen ${port.port};`,
    '    http2 on;',
    `    location = ${service.health.readiness} {`,
    '      access_log off;',
    '      default_type text/plain;',
    '      return 200 "ok\\n";',
    '    }',
    ...upstreams.flatMap((u) => [
      `    location /${u.name}/ {`,
      u.protocol === 'grpc' ? `      grpc_pass grpc://${u.name};` : `      proxy_pass http://${u.name}/;`,
      ...(u.protocol === 'http' ? ['      proxy_http_version 1.1;', '      proxy_set_header Connection "";'] : []),
      '    }',
    ]),
    '    location / {',
    '      return 404;',
    '    }',
    '  }',
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
