// Would these pods be scheduled now? The checks the scheduler makes for each node — ready and
// not cordoned, node selector, taints, and each requested resource against what the node has
// left (allocation.ts) — applied to the pods a ModelDeployment would create, placing them one
// by one so several replicas compete for the same GPUs. The verdict names the nodes, or gives
// the reason the way the scheduler words it ("0/3 nodes are available: 3 Insufficient
// nvidia.com/gpu."), so the dashboard can say it before anything is created.
import { formatBytes } from '@airunway/providers';
import type { FitVerdict } from '@airunway/schema';
import type { Taint } from '../cache/objects.js';
import { freeOf, type NodeAllocation } from './allocation.js';

export interface Toleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}

/** Identical pods: one pod template and how many of it. */
export interface PodShape {
  readonly role: string;
  readonly replicas: number;
  /** In the units of resourceAmount. */
  readonly requests: Readonly<Record<string, number>>;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly Toleration[];
}

function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

/** Why `shape` cannot go on the node now, in the scheduler's words; empty when it can. */
function obstacles(shape: PodShape, node: NodeAllocation, free: Readonly<Record<string, number>>): string[] {
  if (!node.ready) return ['node(s) were not ready'];
  if (!node.schedulable) return ['node(s) were unschedulable'];
  const labels = node.node.metadata.labels ?? {};
  if (Object.entries(shape.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v))
    return ["node(s) didn't match Pod's node affinity/selector"];
  const taint = (node.node.spec.taints ?? []).find(
    (t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(shape.tolerations ?? [], t),
  );
  if (taint) return [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`];
  const reasons: string[] = [];
  if ((free.pods ?? Infinity) < 1) reasons.push('Too many pods');
  for (const [resource, amount] of Object.entries(shape.requests))
    if (amount > 0 && (free[resource] ?? 0) < amount) reasons.push(`Insufficient ${resource}`);
  return reasons;
}

function schedulerMessage(reasons: readonly string[][], nodes: number): string {
  const counts = new Map<string, number>();
  for (const list of reasons) for (const r of list) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts]
    .map(([r, n]) => `${n} ${r}`)
    .sort((a, b) => a.replace(/^\d+ /, '').localeCompare(b.replace(/^\d+ /, '')));
  return `0/${nodes} nodes are available${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}

/** Requests as a user reads them: 4, 500m, 32Gi. */
export function displayRequests(requests: Readonly<Record<string, number>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [resource, amount] of Object.entries(requests)) {
    if (resource === 'cpu') out[resource] = amount % 1000 === 0 ? String(amount / 1000) : `${amount}m`;
    else if (resource === 'memory' || resource === 'ephemeral-storage') out[resource] = formatBytes(amount);
    else out[resource] = String(amount);
  }
  return out;
}

function describeShape(shape: PodShape): string {
  const parts = Object.entries(displayRequests(shape.requests)).map(([r, q]) => `${q} ${r}`);
  return parts.length ? `${shape.role} (${parts.join(', ')})` : shape.role;
}

/** Places `shapes` on `nodes` as they are now; GPU-hungry pods first, each on the fullest node it fits. */
export function checkFit(shapes: readonly PodShape[], nodes: readonly NodeAllocation[]): FitVerdict {
  const free = new Map(
    nodes.map((n) => {
      const left: Record<string, number> = {};
      for (const resource of Object.keys(n.allocatable)) left[resource] = freeOf(n, resource);
      left.pods = Math.max(0, (n.allocatable.pods ?? Infinity) - n.podCount);
      return [n.name, left] as const;
    }),
  );
  const weight = (s: PodShape) =>
    Object.entries(s.requests).reduce((w, [r, a]) => w + (r.includes('/') ? a * 1e6 : 0), 0);
  const order = [...shapes.keys()].sort(
    (a, b) => weight(shapes[b] as PodShape) - weight(shapes[a] as PodShape),
  );

  const results = shapes.map((shape) => ({
    role: shape.role,
    replicas: shape.replicas,
    requests: displayRequests(shape.requests),
    placements: new Map<string, number>(),
    unplaced: 0,
    reason: undefined as string | undefined,
  }));
  for (const i of order) {
    const shape = shapes[i] as PodShape;
    const result = results[i];
    if (!result) continue;
    for (let replica = 0; replica < shape.replicas; replica++) {
      const candidates = nodes.filter((n) => obstacles(shape, n, free.get(n.name) ?? {}).length === 0);
      if (candidates.length === 0) {
        result.unplaced = shape.replicas - replica;
        const why = schedulerMessage(
          nodes.map((n) => obstacles(shape, n, free.get(n.name) ?? {})),
          nodes.length,
        );
        result.reason =
          shape.replicas > 1
            ? `pod ${replica + 1} of ${shape.replicas} of ${describeShape(shape)}: ${why}`
            : `${describeShape(shape)}: ${why}`;
        break;
      }
      // Best fit: the node with the fewest GPUs left, so large pods keep the emptiest nodes.
      const gpuLeft = (n: NodeAllocation) =>
        Object.entries(free.get(n.name) ?? {}).reduce((s, [r, a]) => s + (r.includes('/') ? a : 0), 0);
      const chosen = candidates.reduce((best, n) => (gpuLeft(n) < gpuLeft(best) ? n : best));
      const left = free.get(chosen.name) ?? {};
      for (const [resource, amount] of Object.entries(shape.requests))
        left[resource] = (left[resource] ?? 0) - amount;
      left.pods = (left.pods ?? Infinity) - 1;
      result.placements.set(chosen.name, (result.placements.get(chosen.name) ?? 0) + 1);
    }
  }

  const pods = results.map((r) => ({
    role: r.role,
    replicas: r.replicas,
    requests: r.requests,
    placements: [...r.placements].map(([node, count]) => ({ node, pods: count })),
    unplaced: r.unplaced,
    ...(r.reason ? { reason: r.reason } : {}),
  }));
  const failed = pods.find((p) => p.unplaced > 0);
  if (failed) return { status: 'does-not-fit', message: `does not fit: ${failed.reason ?? ''}`, pods };
  const used = new Map<string, number>();
  for (const p of pods)
    for (const { node, pods: n } of p.placements) used.set(node, (used.get(node) ?? 0) + n);
  if (used.size === 0) return { status: 'fits', message: 'fits: no pods to place', pods };
  const where = [...used].map(([node, n]) =>
    used.size > 1 || n > 1 ? `${node} (${n} pod${n > 1 ? 's' : ''})` : node,
  );
  return { status: 'fits', message: `fits on ${where.join(', ')}`, pods };
}
