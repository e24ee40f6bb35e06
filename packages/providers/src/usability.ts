// Which providers can be used right now. The operator fills ClusterFacts from its watch
// caches (CustomResourceDefinitions, and the pods matched by `operatorProbes()`) and asks
// usableProviders; nothing here talks to a cluster.
import type { ProviderName } from '@airunway/schema';
import { PROVIDER_NAMES } from '@airunway/schema';
import { PROVIDER_CATALOGUE, type OperatorProbe } from './catalogue.js';

export interface ClusterFacts {
  /** Names of the CRDs whose Established condition is True, e.g. `workspaces.kaito.sh`. */
  readonly establishedCrds: readonly string[];
  /** Providers whose operator has a Ready pod (see `readyOperators`). */
  readonly readyOperators: readonly ProviderName[];
}

/**
 * `usable`: it can take new ModelDeployments. `not-installed`: a CRD is missing.
 * `not-ready`: installed, but its operator is not running.
 */
export type UsabilityState = 'usable' | 'not-installed' | 'not-ready';

export interface Usability {
  readonly usable: boolean;
  readonly state: UsabilityState;
  /** Why, e.g. "CRD workspaces.kaito.sh not found" or "operator not running in kaito-workspace". */
  readonly reason: string;
}

export type ProviderUsability = Readonly<Record<ProviderName, Usability>>;

/**
 * A provider is usable when every CRD it needs is Established and, if it has an operator of
 * its own, that operator is running. Providers that need neither (Direct vLLM) are always
 * usable.
 */
export function usableProviders(facts: ClusterFacts): ProviderUsability {
  const crds = new Set(facts.establishedCrds);
  const operators = new Set(facts.readyOperators);
  const entries = PROVIDER_NAMES.map((provider): [ProviderName, Usability] => {
    const { detection } = PROVIDER_CATALOGUE[provider];
    const missing = detection.crds.filter((crd) => !crds.has(crd));
    if (missing.length > 0) {
      const names = missing.join(', ');
      return [
        provider,
        {
          usable: false,
          state: 'not-installed',
          reason: `CRD${missing.length > 1 ? 's' : ''} ${names} not found`,
        },
      ];
    }
    if (detection.operator.length > 0 && !operators.has(provider)) {
      return [
        provider,
        { usable: false, state: 'not-ready', reason: operatorNotRunning(detection.operator) },
      ];
    }
    return [provider, { usable: true, state: 'usable', reason: usableReason(provider) }];
  });
  return Object.fromEntries(entries) as Record<ProviderName, Usability>;
}

/** "<provider> not installed: CRD … not found" / "<provider> not ready: operator not running in …". */
export function describeUnusable(provider: ProviderName, usability: Usability): string {
  const state = usability.state === 'not-ready' ? 'not ready' : 'not installed';
  return `${provider} ${state}: ${usability.reason}`;
}

function usableReason(provider: ProviderName): string {
  const { crds, operator } = PROVIDER_CATALOGUE[provider].detection;
  if (crds.length === 0 && operator.length === 0) return 'needs no CRD or operator';
  const parts = [`CRD${crds.length > 1 ? 's' : ''} ${crds.join(', ')} established`];
  if (operator.length > 0) parts.push('operator running');
  return parts.join(', ');
}

function operatorNotRunning(probes: readonly OperatorProbe[]): string {
  const first = probes[0];
  if (first?.namespace !== undefined) return `operator not running in ${first.namespace}`;
  return `operator not running (no ready pod labelled ${labelSelector(first?.podLabels ?? {})})`;
}

// ── operator detection over observed pods ──────────────────────────────────────────────

/** The parts of a core/v1 Pod that operator detection reads. */
export interface PodLike {
  readonly metadata: {
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly deletionTimestamp?: string;
  };
  readonly status?: { readonly conditions?: readonly { readonly type: string; readonly status: string }[] };
}

/**
 * Whether the operator of `provider` runs among `pods`: some pod in the probe's namespace
 * (any namespace when the probe has none) carrying the probe's labels is Ready and not being
 * deleted. Always false for providers without an operator.
 */
export function operatorRunning(provider: ProviderName, pods: readonly PodLike[]): boolean {
  return PROVIDER_CATALOGUE[provider].detection.operator.some((probe) =>
    pods.some(
      (pod) =>
        (probe.namespace === undefined || pod.metadata.namespace === probe.namespace) &&
        hasLabels(pod.metadata.labels, probe.podLabels) &&
        pod.metadata.deletionTimestamp === undefined &&
        pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true,
    ),
  );
}

/** Providers whose operator runs among `pods` — ClusterFacts.readyOperators. */
export function readyOperators(pods: readonly PodLike[]): ProviderName[] {
  return PROVIDER_NAMES.filter((provider) => operatorRunning(provider, pods));
}

/**
 * Every operator probe with its label selector in the `a=b,c=d` form a pod list or watch
 * takes, so the operator can watch exactly the pods detection needs.
 */
export function operatorProbes(): {
  provider: ProviderName;
  namespace: string | undefined;
  labelSelector: string;
}[] {
  return PROVIDER_NAMES.flatMap((provider) =>
    PROVIDER_CATALOGUE[provider].detection.operator.map((probe) => ({
      provider,
      namespace: probe.namespace,
      labelSelector: labelSelector(probe.podLabels),
    })),
  );
}

function hasLabels(labels: Record<string, string> | undefined, wanted: Readonly<Record<string, string>>) {
  return Object.entries(wanted).every(([key, value]) => labels?.[key] === value);
}

function labelSelector(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .map((key) => `${key}=${labels[key] ?? ''}`)
    .join(',');
}
