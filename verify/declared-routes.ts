/**
 * Every route the rendered ingress VirtualServices declare, and behind a BFF every gRPC location of
 * its Nginx, traces to a workload (the request tracer in verify/trace/, which encodes Envoy's route
 * matching, Istio's AuthorizationPolicy/RequestAuthentication evaluation and nginx's location
 * matching; each hop file cites its upstream source). Registered with the bootstrap checks so that
 * `npm run verify` runs both.
 */
import * as path from 'path';
import type { Check } from './registry';
import { verifyDeclaredRoutes } from './trace';

export const declaredRoutes: Check = {
  id: 'declared-routes',
  description: 'every rendered ingress route and BFF location reaches its workload',
  run: (sim) =>
    verifyDeclaredRoutes(sim.tree.name, path.dirname(sim.tree.dir)).map((message) => {
      const m = /^[^:]+: ([^/\s]+)\/(\S+) route/.exec(message);
      return { file: m ? `namespaces/${m[1]}/virtualservice-${m[2]}.yaml` : 'namespaces', message: message.replace(/^[^:]+: /, '') };
    }),
};
