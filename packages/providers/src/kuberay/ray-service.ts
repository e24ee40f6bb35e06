// The JSON shape of a KubeRay RayService (ray.io/v1, as of KubeRay 1.7.0) — only the fields this
// provider writes or reads. Local, like ../kubernetes.ts: the package does no I/O and depends on
// @airunway/schema alone. Field names are the CRD's, so a rendered object goes to the apiserver
// as is.
import type { KubernetesObject, ObjectCondition, PodTemplateSpec } from '../kubernetes.js';

export const RAY_API_VERSION = 'ray.io/v1';
export const RAY_SERVICE_KIND = 'RayService';

/** KubeRay's upgrade strategies of a RayService (spec.upgradeStrategy.type). */
export type RayServiceUpgradeType = 'NewCluster' | 'NewClusterWithIncrementalUpgrade' | 'None';

export interface HeadGroupSpec {
  rayStartParams: Record<string, string>;
  template: PodTemplateSpec;
}

export interface WorkerGroupSpec {
  groupName: string;
  replicas: number;
  minReplicas: number;
  maxReplicas: number;
  rayStartParams: Record<string, string>;
  template: PodTemplateSpec;
}

export interface RayClusterSpec {
  rayVersion?: string;
  enableInTreeAutoscaling?: boolean;
  headGroupSpec: HeadGroupSpec;
  workerGroupSpecs: WorkerGroupSpec[];
}

export interface RayServiceSpec {
  /** The Ray Serve config (applications), a YAML document in a string. */
  serveConfigV2: string;
  /** True deletes the RayCluster and the Services, false (re)creates them. KubeRay ≥ 1.7.0. */
  suspend?: boolean;
  upgradeStrategy?: { type: RayServiceUpgradeType };
  rayClusterConfig: RayClusterSpec;
}

/** status.{active,pending}ServiceStatus.applicationStatuses[app].serveDeploymentStatuses[name] */
export interface ServeDeploymentStatus {
  status?: string;
  message?: string;
}

/** A Ray Serve application as KubeRay reports it: NOT_STARTED, DEPLOYING, RUNNING, DEPLOY_FAILED, … */
export interface ServeApplicationStatus {
  status?: string;
  message?: string;
  serveDeploymentStatuses?: Record<string, ServeDeploymentStatus>;
}

/** The part of a RayCluster's status that KubeRay copies into the RayService. */
export interface RayClusterStatus {
  state?: string;
  reason?: string;
  readyWorkerReplicas?: number;
  availableWorkerReplicas?: number;
  desiredWorkerReplicas?: number;
  conditions?: ObjectCondition[];
}

/** One of the RayService's two RayClusters: the active one (serving) or a pending one (starting). */
export interface RayServiceClusterStatus {
  rayClusterName?: string;
  applicationStatuses?: Record<string, ServeApplicationStatus>;
  rayClusterStatus?: RayClusterStatus;
}

export interface RayServiceStatus {
  /** Ready, UpgradeInProgress, RollbackInProgress, Suspending, Suspended. */
  conditions?: ObjectCondition[];
  /** Deprecated mirror of the Ready condition: "Running" or empty. */
  serviceStatus?: string;
  numServeEndpoints?: number;
  observedGeneration?: number;
  activeServiceStatus?: RayServiceClusterStatus;
  pendingServiceStatus?: RayServiceClusterStatus;
}

export interface RayService extends KubernetesObject {
  apiVersion: typeof RAY_API_VERSION;
  kind: typeof RAY_SERVICE_KIND;
  spec: RayServiceSpec;
  status?: RayServiceStatus;
}
