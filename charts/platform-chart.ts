import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';

export interface PlatformChartProps {
  /** Folder of the rendered objects, relative to the repository root (e.g. "dist/dev/namespaces/pc-bff"). */
  readonly outputDir: string;
  /** Namespace of every namespaced object in the chart. @default none (cluster-scoped or explicit) */
  readonly namespace?: string;
  /** Labels added to every object of the chart. @default none */
  readonly labels?: Record<string, string>;
}

/**
 * A cdk8s Chart that knows which `dist/` folder its objects belong to. Names are never hashed:
 * every name comes from the model through platform/naming.ts.
 */
export class PlatformChart extends Chart {
  public readonly outputDir: string;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, { namespace: props.namespace, labels: props.labels, disableResourceNameHashes: true });
    this.outputDir = props.outputDir;
  }
}
