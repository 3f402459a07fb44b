/**
 * Every image digest rendered (container images and add-on Helm values) must be a plausible sha256:
 * 64 hex characters that are not one byte repeated (a placeholder such as `sha256:d6d6…` names no
 * manifest, so the kubelet's pull fails with "manifest unknown": OCI image-spec descriptor.md
 * "digests", the registry answers 404 for an unknown digest).
 */
import type { Check, Finding } from '../registry';

const DIGEST = /sha256:([0-9a-fA-F]+)/g;
const isPlaceholder = (hex: string): boolean => hex.length !== 64 || /^(..)\1{31}$/.test(hex.toLowerCase());

export const imageDigest: Check = {
  id: 'image-digest',
  description: 'no rendered image digest is a placeholder (repeated byte or not 64 hex characters)',
  run: (sim) => {
    const out: Omit<Finding, 'rule'>[] = [];
    for (const o of sim.objects) {
      const seen = new Set<string>();
      const walk = (v: unknown, p: string): void => {
        if (typeof v === 'string') {
          for (const m of v.matchAll(DIGEST)) {
            if (!isPlaceholder(m[1]) || seen.has(m[0])) continue;
            seen.add(m[0]);
            out.push({ file: o.file, message: `${o.kind} ${o.name}: ${p} names placeholder digest ${m[0].slice(0, 15)}… (one byte repeated or not 64 hex characters): no registry serves it` });
          }
        } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}[${i}]`));
        else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, p ? `${p}.${k}` : k);
      };
      walk(o.doc.spec ?? {}, 'spec');
    }
    return out;
  },
};
