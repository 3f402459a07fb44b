/** What a hop evaluator returns: what it crossed, and when it refuses, which rule refused. */
export interface Hop {
  /** Kind of hop, e.g. "VirtualService". */
  readonly hop: string;
  /** The rendered object (or objects) the decision was read from. */
  readonly object: string;
  /** What happened, in one line. */
  readonly detail: string;
  /** Set when the request stops here. */
  readonly refused?: { readonly rule: string; readonly status: string };
}

/** The request as it travels: method, scheme, authority, path and headers (lower-case names). */
export interface TraceRequest {
  readonly method: string;
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Who sends a request inside the cluster. */
export interface Workload {
  readonly namespace: string;
  /** Deployment name; undefined for a bare Pod of a namespace (e.g. "any Pod of monitoring-infra"). */
  readonly name?: string;
  /** Its SPIFFE principal when it runs an Istio proxy. */
  readonly principal?: string;
  /** Pod labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Whether the Pod runs an Istio sidecar. */
  readonly inMesh: boolean;
}

export const refuse = (hop: string, object: string, detail: string, rule: string, status: string): Hop => ({ hop, object, detail, refused: { rule, status } });
