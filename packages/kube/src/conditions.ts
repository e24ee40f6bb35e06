// Status conditions the Kubernetes way (metav1.Condition semantics): lastTransitionTime
// changes only when status changes. That matters for zero-write reconciles too — a
// condition rebuilt with a fresh timestamp every reconcile would make every status apply a
// change.
import type { Condition } from './objects.js';

/**
 * `conditions` with `next` set (replacing the condition of the same type). The previous
 * lastTransitionTime is kept while the status is unchanged; otherwise it becomes `now`.
 * Returns a new array; the input is not modified.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  next: Omit<Condition, 'lastTransitionTime'> & { lastTransitionTime?: string },
  now: Date = new Date(),
): Condition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === next.type);
  const previous = index >= 0 ? list[index] : undefined;
  const lastTransitionTime =
    previous && previous.status === next.status && previous.lastTransitionTime
      ? previous.lastTransitionTime
      : (next.lastTransitionTime ?? now.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  const condition: Condition = { ...next, lastTransitionTime };
  if (index >= 0) list[index] = condition;
  else list.push(condition);
  return list;
}

/** `conditions` without the condition of `type`. */
export function removeCondition(conditions: readonly Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

export function isConditionTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return conditions?.find((c) => c.type === type)?.status === 'True';
}
