// What the current provider objects were built for. Identity fields (model.id, model.source,
// engine.type once set, provider.name, serving.mode) cannot change in place: a change deletes
// the provider objects and recreates them. Each object records the identity it was rendered
// for in an annotation, so a change is detected from the objects themselves — also after an
// operator restart, and without another field in status.
import { createHash } from 'node:crypto';
import type { EngineType, ModelDeployment, ProviderName } from '@airunway/schema';

export const IDENTITY_ANNOTATION = 'airunway.ai/identity';

export interface DeploymentIdentity {
  readonly provider: ProviderName;
  readonly engine: EngineType;
  readonly mode: string;
  readonly source: string;
  readonly modelId: string;
  /**
   * A hash of the settings the provider cannot change in place (Provider.recreateKey), when
   * it has such settings.
   */
  readonly recreate?: string;
}

export function identityOf(
  md: ModelDeployment,
  provider: ProviderName,
  engine: EngineType,
  recreateKey?: string,
): DeploymentIdentity {
  return {
    provider,
    engine,
    mode: md.spec.serving.mode,
    source: md.spec.model.source,
    modelId: md.spec.model.id ?? '',
    ...(recreateKey === undefined
      ? {}
      : { recreate: createHash('sha256').update(recreateKey).digest('hex').slice(0, 16) }),
  };
}

export function formatIdentity(identity: DeploymentIdentity): string {
  const { provider, engine, mode, source, modelId, recreate } = identity;
  return JSON.stringify({ provider, engine, mode, source, modelId, recreate });
}

export function parseIdentity(value: string | undefined): DeploymentIdentity | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<DeploymentIdentity>;
    if (typeof parsed.provider !== 'string' || typeof parsed.engine !== 'string') return undefined;
    return parsed as DeploymentIdentity;
  } catch {
    return undefined;
  }
}

/** Human-readable list of what differs, e.g. "model.id (a → b)". Empty when equal. */
export function identityChanges(from: DeploymentIdentity, to: DeploymentIdentity): string[] {
  const fields: [keyof DeploymentIdentity, string][] = [
    ['modelId', 'model.id'],
    ['source', 'model.source'],
    ['engine', 'engine.type'],
    ['provider', 'provider.name'],
    ['mode', 'serving.mode'],
  ];
  const changes = fields
    .filter(([k]) => from[k] !== to[k])
    .map(([k, label]) => `${label} (${from[k]} → ${to[k]})`);
  // Only meaningful between objects of the same provider.
  if (changes.length === 0 && from.recreate !== to.recreate) {
    changes.push(`settings that ${to.provider} cannot change in place`);
  }
  return changes;
}

/**
 * The spec the previous selection was made for: the current spec with the identity values
 * the live objects were built from. Selection compares it with the current spec to decide
 * whether to keep its previous choice.
 */
export function specOfIdentity(md: ModelDeployment, identity: DeploymentIdentity): ModelDeployment['spec'] {
  const { spec } = md;
  return {
    ...spec,
    model: {
      ...spec.model,
      id: identity.modelId || undefined,
      source: identity.source as typeof spec.model.source,
    },
    serving: { ...spec.serving, mode: identity.mode as typeof spec.serving.mode },
  };
}
