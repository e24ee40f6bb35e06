// @airunway/kube: cluster access and a controller runtime for the operator and the API.
export {
  KubeClient,
  type ApplyOptions,
  type BookmarkObject,
  type DeleteOptions,
  type FieldValidation,
  type GetOptions,
  type HttpMethod,
  type KubeClientOptions,
  type KubeRequest,
  type ListAllOptions,
  type ListAllResult,
  type ListOptions,
  type PatchOptions,
  type PatchType,
  type QueryValue,
  type RequestInfo,
  type WatchEvent,
  type WatchEventType,
  type WatchOptions,
  type WriteGate,
  type WriteOptions,
} from './client.js';
export {
  KubeConfigError,
  connectionFromKubeConfig,
  loadClusterConnection,
  staticConnection,
  type ClientCertificate,
  type ClusterConnection,
  type KubeConfigConnectionOptions,
  type LoadConnectionOptions,
  type StaticConnectionOptions,
  type TlsMaterial,
} from './kubeconfig.js';
export {
  mergeKubeConfigs,
  parseKubeConfig,
  readKubeConfigFile,
  readKubeConfigFiles,
  type AuthProviderConfig,
  type ExecConfig,
  type ExecInteractiveMode,
  type KubeConfigCluster,
  type KubeConfigContext,
  type KubeConfigUser,
  type ParsedKubeConfig,
} from './kubeconfig-file.js';
export {
  KubeApiError,
  KubeConnectionError,
  NotLeaderError,
  UnknownKindError,
  errorReason,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isGone,
  isInvalid,
  isNotFound,
  isTooManyRequests,
  isTransient,
  isUnauthorized,
  type KubeStatus,
  type StatusCause,
  type StatusDetails,
  type StatusReason,
} from './errors.js';
export { Discovery, type ApiResource, type ApiResourceList, type DiscoveryOptions } from './discovery.js';
export {
  Resources,
  apiVersionOf,
  groupResourceOf,
  resourcePath,
  type ResourceDescriptor,
  type ResourcePathOptions,
} from './resources.js';
export {
  controllerOf,
  findCondition,
  groupOf,
  keyOf,
  microTime,
  objectKey,
  parseKey,
  type Condition,
  type CustomResourceDefinition,
  type EventsV1Event,
  type FieldsV1,
  type KubeList,
  type KubeObject,
  type Lease,
  type ListMeta,
  type ManagedFieldsEntry,
  type ObjectKey,
  type ObjectMeta,
  type ObjectReference,
  type OwnerReference,
  LAST_APPLIED_ANNOTATION,
  withoutLastApplied,
} from './objects.js';
export {
  Informer,
  WatchInactivityError,
  type InformerHandlers,
  type InformerOptions,
  type InformerSignal,
  type InformerStatus,
} from './informer.js';
export {
  ObjectStore,
  byControllerUid,
  byLabel,
  byOwnerUid,
  deepFreeze,
  type IndexFunc,
  type ListFilter,
  type ReadableStore,
  type StoreDiff,
} from './store.js';
export {
  LabelSelectorError,
  formatLabelSelector,
  labelMatcher,
  parseLabelSelector,
  type LabelMatcher,
  type LabelSelector,
  type LabelSelectorRequirement,
} from './label-selector.js';
export {
  CrdWatcher,
  resourceFromCrd,
  type CrdWatcherOptions,
  type KindHandlers,
  type KindRegistration,
  type KindWatch,
  type StopReason,
} from './crd-watcher.js';
export { WorkQueue, runWorkers, type WorkQueueMetrics, type WorkQueueOptions } from './work-queue.js';
export {
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
  TokenBucketRateLimiter,
  defaultControllerRateLimiter,
  type ControllerRateLimiterOptions,
  type RateLimiter,
} from './rate-limiter.js';
export {
  Controller,
  TerminalError,
  controllerOwnerKey,
  ownKey,
  type ControllerMetrics,
  type ControllerOptions,
  type KeyMapper,
  type ReconcileContext,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
} from './controller.js';
export { LeaderElector, type LeaderElectionOptions } from './leader-election.js';
export { InformerFactory, type InformerDefaults, type InformerScope } from './informer-factory.js';
export { isConditionTrue, removeCondition, setCondition } from './conditions.js';
export {
  addFinalizer,
  hasFinalizer,
  removeFinalizer,
  type FinalizerOptions,
  type FinalizerOutcome,
} from './finalizers.js';
export {
  AlreadyOwnedError,
  DESIRED_HASH_ANNOTATION,
  applyIfChanged,
  applyOwned,
  applyStatus,
  controllerReference,
  needsApply,
  setControllerReference,
  withDesiredHash,
  type ApplyDecision,
  type ApplyIfChangedOptions,
  type ApplyOutcome,
  type ApplyStatusOptions,
} from './apply.js';
export {
  canonicalJson,
  compareFieldSet,
  compareValues,
  hashOf,
  managedFieldsEntry,
  type Comparison,
} from './managed-fields.js';
export { EventRecorder, type EventInit, type EventRecorderOptions } from './events.js';
export { createKubeMetrics, type KubeMetrics, type KubeMetricsOptions } from './metrics.js';
export {
  informersSyncedCheck,
  startHealthServer,
  type CheckResult,
  type HealthCheck,
  type HealthServer,
  type HealthServerOptions,
} from './health.js';
export {
  createLogger,
  silentLogger,
  type LogFields,
  type LogLevel,
  type Logger,
  type LoggerOptions,
} from './logger.js';
export { Backoff, type BackoffOptions } from './backoff.js';
export { ManualClock, sleep, systemClock, type Clock, type TimerHandle } from './clock.js';
export { SerialExecutor } from './serial-executor.js';
