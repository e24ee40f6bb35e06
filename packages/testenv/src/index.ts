export { startControlPlane, type ControlPlane, type ControlPlaneOptions } from './control-plane.js';
export {
  clusterClient,
  type ClusterClient,
  type ControlPlaneInfo,
  type KubectlOptions,
  type KubectlResult,
} from './cluster-client.js';
export { ensureBinaries, BINARIES, type BinaryName } from './binaries.js';
export { UPSTREAM_CRD_SETS, productCrdFiles, upstreamCrdFiles, type UpstreamCrdSet } from './crds.js';
export {
  DEFAULT_TOPOLOGY,
  GPU_MODELS,
  NODE_POOL_LABEL,
  nodeManifest,
  type CpuNodeSpec,
  type GpuModel,
  type GpuNodeSpec,
  type NodeSpec,
} from './nodes.js';
export { SIMULATED_POD_LOG_LINES, appendPodLog, criLogLines } from './pod-logs.js';
export type { TestUser, TestUsers } from './users.js';
export { repoRoot } from './paths.js';
