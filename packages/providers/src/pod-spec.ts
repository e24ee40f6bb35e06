// The shared mapping from a ModelDeployment to the parts of a model server pod that every
// provider fills the same way: labels, annotations, environment (with the HuggingFace token),
// node selector, tolerations and resources. Maps come out sorted by key and list items with
// their fields in a fixed order, so the same spec always renders byte-identical objects.
import type {
  EngineType,
  FieldError,
  ModelDeployment,
  ModelDeploymentSpec,
  ProviderName,
} from '@airunway/schema';
import { byCodePoint } from './engine-args.js';
import type { EnvVar, ResourceRequirements, Toleration } from './kubernetes.js';
import { quantityString } from './quantity.js';

// ── labels and annotations ──────────────────────────────────────────────────────────────

export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_INSTANCE = 'app.kubernetes.io/instance';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
/** On every object and pod of a ModelDeployment; Services and InferencePools select by it. */
export const LABEL_MODEL_DEPLOYMENT = 'airunway.ai/model-deployment';
export const LABEL_PROVIDER = 'airunway.ai/provider';
export const LABEL_ENGINE = 'airunway.ai/engine';
export const MANAGED_BY = 'airunway';

export interface LabelContext {
  readonly provider: ProviderName;
  readonly engine: EngineType;
  /** What the object is part of, e.g. `model-server`, `frontend`, `prefill-worker`. */
  readonly component: string;
}

/**
 * Labels of every object a provider renders: `app.kubernetes.io/name` (the engine),
 * `…/instance` (the ModelDeployment), `…/component`, `…/managed-by: airunway`,
 * `airunway.ai/model-deployment`, `airunway.ai/provider` and `airunway.ai/engine`.
 */
export function objectLabels(md: ModelDeployment, context: LabelContext): Record<string, string> {
  return sortedMap({
    [LABEL_NAME]: context.engine,
    [LABEL_INSTANCE]: md.metadata.name,
    [LABEL_COMPONENT]: context.component,
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_MODEL_DEPLOYMENT]: md.metadata.name,
    [LABEL_PROVIDER]: context.provider,
    [LABEL_ENGINE]: context.engine,
  });
}

/** The selector of a ModelDeployment's pods: `airunway.ai/model-deployment: <name>`. */
export function selectorLabels(md: ModelDeployment): Record<string, string> {
  return { [LABEL_MODEL_DEPLOYMENT]: md.metadata.name };
}

/**
 * Pod labels: spec.podTemplate.metadata.labels plus `labels`. Where a user label has the key
 * of one of ours, ours wins — the Deployment selector and the Services depend on them.
 */
export function podLabels(spec: ModelDeploymentSpec, labels: Record<string, string>): Record<string, string> {
  return sortedMap({ ...spec.podTemplate?.metadata?.labels, ...labels });
}

/** spec.podTemplate.metadata.annotations, sorted; undefined when there are none. */
export function podAnnotations(spec: ModelDeploymentSpec): Record<string, string> | undefined {
  return optionalMap(spec.podTemplate?.metadata?.annotations);
}

// ── scheduling ──────────────────────────────────────────────────────────────────────────

/** spec.nodeSelector, sorted; undefined when empty. */
export function nodeSelector(spec: ModelDeploymentSpec): Record<string, string> | undefined {
  return optionalMap(spec.nodeSelector);
}

/** spec.tolerations in their order, fields in core/v1 order; undefined when empty. */
export function tolerations(spec: ModelDeploymentSpec): Toleration[] | undefined {
  if (!spec.tolerations || spec.tolerations.length === 0) return undefined;
  return spec.tolerations.map((t) =>
    defined({
      key: t.key,
      operator: t.operator,
      value: t.value,
      effect: t.effect,
      tolerationSeconds: t.tolerationSeconds,
    }),
  );
}

// ── resources ───────────────────────────────────────────────────────────────────────────

export interface PodResources {
  readonly gpuCount: number;
  readonly gpuType: string;
  readonly memory?: string | number | undefined;
  readonly cpu?: string | number | undefined;
}

/** resources.gpu, resources.memory and resources.cpu of an aggregated model server pod. */
export function aggregatedResources(spec: ModelDeploymentSpec): PodResources {
  const { gpu, memory, cpu } = spec.resources;
  return { gpuCount: gpu.count, gpuType: gpu.type, memory, cpu };
}

/**
 * Container resources: GPUs as limits and requests (`<gpu.type>: count`), memory as request
 * and limit, CPU as request only (a CPU limit throttles tokenization and scheduling threads
 * for no benefit).
 */
export function containerResources(resources: PodResources): ResourceRequirements {
  const limits: Record<string, string> = {};
  const requests: Record<string, string> = {};
  if (resources.cpu !== undefined) requests.cpu = quantityString(resources.cpu);
  if (resources.memory !== undefined) {
    limits.memory = quantityString(resources.memory);
    requests.memory = quantityString(resources.memory);
  }
  if (resources.gpuCount > 0) {
    limits[resources.gpuType] = String(resources.gpuCount);
    requests[resources.gpuType] = String(resources.gpuCount);
  }
  return defined({ limits: optionalMap(limits), requests: optionalMap(requests) });
}

// ── environment ─────────────────────────────────────────────────────────────────────────

/** The environment variable that carries the HuggingFace token into the engine. */
export const HF_TOKEN_ENV = 'HF_TOKEN';
/** The key of the spec.secrets.huggingFaceToken Secret that holds the token. */
export const HF_TOKEN_SECRET_KEY = 'HF_TOKEN';

/**
 * The container environment:
 * 1. `HF_TOKEN` from key `HF_TOKEN` of the Secret spec.secrets.huggingFaceToken, when set;
 * 2. the provider's `defaults` (e.g. HF_HOME), except those the user sets;
 * 3. spec.env in its order, with valueFrom passed through whole — minus a user `HF_TOKEN`
 *    when the Secret is set, which takes precedence.
 * Earlier entries can be referenced as $(NAME) by later ones, as Kubernetes expands them.
 */
export function containerEnv(spec: ModelDeploymentSpec, defaults: readonly EnvVar[] = []): EnvVar[] {
  const secret = spec.secrets?.huggingFaceToken;
  const user = (spec.env ?? []).filter((e) => secret === undefined || e.name !== HF_TOKEN_ENV);
  const userNames = new Set(user.map((e) => e.name));
  const env: EnvVar[] = [];
  if (secret !== undefined) {
    env.push({
      name: HF_TOKEN_ENV,
      valueFrom: { secretKeyRef: { name: secret, key: HF_TOKEN_SECRET_KEY } },
    });
  }
  env.push(...defaults.filter((e) => !userNames.has(e.name) && e.name !== HF_TOKEN_ENV));
  env.push(...user);
  return env.map(canonicalEnvVar);
}

/** What a resourceFieldRef may read: the kubelet exposes only these (and hugepages). */
const RESOURCE_FIELD = /^(limits|requests)\.(cpu|memory|ephemeral-storage|hugepages-.+)$/;

/**
 * Environment entries the apiserver would reject in a pod although the ModelDeployment API
 * accepts them: a resourceFieldRef can read CPU, memory, ephemeral storage and hugepages only
 * (not GPUs).
 */
export function envErrors(spec: ModelDeploymentSpec): FieldError[] {
  return (spec.env ?? []).flatMap((env, index) => {
    const resource = env.valueFrom?.resourceFieldRef?.resource;
    if (resource === undefined || RESOURCE_FIELD.test(resource)) return [];
    return [
      {
        path: `spec.env[${index}].valueFrom.resourceFieldRef.resource`,
        message:
          `${JSON.stringify(resource)} cannot be read into an environment variable: use limits.cpu, limits.memory, ` +
          'limits.ephemeral-storage, their requests.* forms, or hugepages',
      },
    ];
  });
}

/** An EnvVar with its fields in core/v1 order and quantities as strings. */
export function canonicalEnvVar(env: EnvVar): EnvVar {
  const from = env.valueFrom;
  if (from === undefined) return defined({ name: env.name, value: env.value });
  const secret = from.secretKeyRef;
  const configMap = from.configMapKeyRef;
  const field = from.fieldRef;
  const resource = from.resourceFieldRef;
  return {
    name: env.name,
    valueFrom: defined({
      fieldRef: field && defined({ apiVersion: field.apiVersion, fieldPath: field.fieldPath }),
      resourceFieldRef:
        resource &&
        defined({
          containerName: resource.containerName,
          resource: resource.resource,
          divisor: resource.divisor === undefined ? undefined : quantityString(resource.divisor),
        }),
      configMapKeyRef:
        configMap && defined({ name: configMap.name, key: configMap.key, optional: configMap.optional }),
      secretKeyRef: secret && defined({ name: secret.name, key: secret.key, optional: secret.optional }),
    }),
  };
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────

/** A copy of `map` with keys in code-point order. */
export function sortedMap<V>(map: Readonly<Record<string, V>>): Record<string, V> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => byCodePoint(a, b)));
}

function optionalMap<V>(map: Readonly<Record<string, V>> | undefined): Record<string, V> | undefined {
  return map === undefined || Object.keys(map).length === 0 ? undefined : sortedMap(map);
}

/** `object` without its undefined fields, so JSON output never depends on them. */
export function defined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}
