// Standard metav1.Condition handling. lastTransitionTime changes only when a condition's
// status changes, so re-deriving the same status from the same cluster state produces an
// identical object — and the operator can skip the write.

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

/** The condition types the operator maintains on every ModelDeployment. */
export const CONDITION_TYPES = [
  'Validated',
  'EngineSelected',
  'ProviderSelected',
  'ResourcesCreated',
  'Ready',
  'GatewayReady',
] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

export type ConditionInput = Omit<Condition, 'lastTransitionTime' | 'observedGeneration'> & {
  type: ConditionType;
};

/**
 * Merges freshly derived conditions into the previous ones: keeps the previous
 * lastTransitionTime while the status is unchanged, sets `now` when it changes, and keeps
 * conditions of types this operator does not own untouched.
 */
export function mergeConditions(
  previous: readonly Condition[] | undefined,
  next: readonly ConditionInput[],
  observedGeneration: number,
  now: string,
): Condition[] {
  const byType = new Map((previous ?? []).map((c) => [c.type, c]));
  for (const input of next) {
    const old = byType.get(input.type);
    byType.set(input.type, {
      ...input,
      lastTransitionTime: old && old.status === input.status ? old.lastTransitionTime : now,
      observedGeneration,
    });
  }
  // Stable order: ours first in their documented order, then foreign ones by type.
  const ours = CONDITION_TYPES.map((t) => byType.get(t)).filter((c): c is Condition => c !== undefined);
  const foreign = [...byType.values()]
    .filter((c) => !(CONDITION_TYPES as readonly string[]).includes(c.type))
    .sort((a, b) => a.type.localeCompare(b.type));
  return [...ours, ...foreign];
}
