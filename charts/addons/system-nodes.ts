import { SYSTEM_NODE_LABELS, SYSTEM_NODE_TAINT } from '../../platform/naming';

/**
 * Helm values that pin a component to the managed "system" node group (Karpenter must not run on
 * the nodes it manages; the gateways run where the ALB target groups point).
 */
export const onSystemNodes = {
  nodeSelector: { ...SYSTEM_NODE_LABELS },
  tolerations: [{ key: SYSTEM_NODE_TAINT.key, operator: 'Equal', value: SYSTEM_NODE_TAINT.value, effect: SYSTEM_NODE_TAINT.effect }],
} as const;
