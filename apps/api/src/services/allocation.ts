// What each node has left: its allocatable resources minus the requests of every unfinished
// pod bound to it — the scheduler's own arithmetic. GPU capacity and the fit check of a dry
// run both read it from here, so they never disagree.
import type { CachedNode, CapacityPod } from '../cache/objects.js';
import { nodeReady, resourceAmount } from '../cache/objects.js';

export interface NodeAllocation {
  readonly node: CachedNode;
  readonly name: string;
  readonly ready: boolean;
  /** False when cordoned. */
  readonly schedulable: boolean;
  /** In the units of resourceAmount: millicores, bytes, counts. */
  readonly allocatable: Readonly<Record<string, number>>;
  readonly requested: Readonly<Record<string, number>>;
  readonly podCount: number;
}

export function nodeAllocation(node: CachedNode, pods: readonly CapacityPod[]): NodeAllocation {
  const allocatable: Record<string, number> = {};
  for (const [resource, quantity] of Object.entries(node.status.allocatable))
    allocatable[resource] = resourceAmount(resource, quantity);
  const requested: Record<string, number> = {};
  for (const pod of pods)
    for (const [resource, amount] of Object.entries(pod.requests))
      requested[resource] = (requested[resource] ?? 0) + amount;
  return {
    node,
    name: node.metadata.name ?? '',
    ready: nodeReady(node),
    schedulable: node.spec.unschedulable !== true,
    allocatable,
    requested,
    podCount: pods.length,
  };
}

/** What is left of `resource` on the node (never negative: over-commit shows as 0). */
export function freeOf(allocation: NodeAllocation, resource: string): number {
  return Math.max(0, (allocation.allocatable[resource] ?? 0) - (allocation.requested[resource] ?? 0));
}
