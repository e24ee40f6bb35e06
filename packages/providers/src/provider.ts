// The contract between the operator and a provider. A provider is pure: `render` turns a
// ModelDeployment into the objects to apply, `status` turns what the operator observed back
// into phase, replicas and endpoint. The operator does everything with side effects: it adds
// ownerReferences, applies (server-side apply, skipping writes when the render is unchanged),
// watches, and writes status and conditions.
import type { EngineType, FieldError, ModelDeployment, ProviderName } from '@airunway/schema';
import type { ProviderCapabilities, ProviderDetection } from './catalogue.js';
import type { KubernetesObject, ObservedEvent, Pod, ReplicaSet } from './kubernetes.js';

export interface RenderContext {
  /** The engine selected for this ModelDeployment (status.engine.type). */
  readonly engine: EngineType;
  /**
   * Replaces the provider's pinned default image, e.g. with a registry mirror. engine.image
   * and the legacy image field of the spec still take precedence.
   */
  readonly defaultImage?: string;
}

export type RenderResult =
  | {
      readonly ok: true;
      /** In apply order. Deterministic: the same input renders byte-identical JSON. */
      readonly objects: KubernetesObject[];
      /** Settings that have no effect with this provider or engine, for an event or condition. */
      readonly notes: string[];
    }
  | { readonly ok: false; readonly errors: FieldError[] };

/** What the operator observed of a ModelDeployment's objects, from its watch caches. */
export interface ObservedState {
  /** The rendered objects as read back (with status); ones not created yet are absent. */
  readonly objects: readonly ObservedObject[];
  /** Pods labelled `airunway.ai/model-deployment: <name>`. */
  readonly pods: readonly Pod[];
  /** ReplicaSets owned by the provider's Deployments, to tell current pods from old ones. */
  readonly replicaSets?: readonly ReplicaSet[];
  /** Recent events about those objects and pods (core/v1 or events.k8s.io/v1). */
  readonly events?: readonly ObservedEvent[];
}

export type ObservedObject = KubernetesObject & { readonly spec?: unknown; readonly status?: unknown };

export type ProviderPhase = 'Pending' | 'Deploying' | 'Running' | 'Failed';

export interface ProviderCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
}

export interface ProviderStatus {
  readonly phase: ProviderPhase;
  /** CamelCase reason for the phase, for the Ready condition: RolloutComplete, Unschedulable, … */
  readonly reason: string;
  readonly message: string;
  readonly replicas: { readonly desired: number; readonly ready: number; readonly available: number };
  readonly endpoint: { readonly service: string; readonly port: number };
  readonly resourceName: string;
  readonly resourceKind: string;
  readonly conditions?: readonly ProviderCondition[];
}

export interface Provider {
  readonly id: ProviderName;
  readonly capabilities: ProviderCapabilities;
  readonly detection: ProviderDetection;
  /** Why this provider cannot run `md` with `context.engine`; empty when it can. */
  validate(md: ModelDeployment, context: RenderContext): FieldError[];
  /** The objects to apply (no ownerReferences: the operator adds them), or validate's errors. */
  render(md: ModelDeployment, context: RenderContext): RenderResult;
  status(md: ModelDeployment, observed: ObservedState): ProviderStatus;
  /**
   * For providers whose objects accept some changes only at creation (KAITO refuses edits of a
   * Workspace's resource and preset, and ignores later edits of its pod template): a key of
   * those settings in the rendered objects. When it changes, the operator deletes the objects
   * and creates them again, as for an identity change, instead of applying an edit that would
   * be refused or ignored.
   */
  recreateKey?(objects: readonly KubernetesObject[]): string | undefined;
  /**
   * The pods and pod port an InferencePool should send this model's traffic to, when they are
   * not all pods labelled `airunway.ai/model-deployment` on the endpoint's port (Dynamo: the
   * frontends only; KAITO: its own pod label and the server's port behind its Service).
   */
  gatewayBackend?(md: ModelDeployment): GatewayBackend;
}

export interface GatewayBackend {
  readonly selector: Readonly<Record<string, string>>;
  readonly targetPort: number;
}
