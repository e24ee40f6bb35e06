// Whether the registry and the builder can take a build, read as the caller (their own token:
// someone who may not read Deployments in the product namespace is told so by the apiserver).
import { Resources, type KubeClient, type KubeObject } from '@airunway/kube';
import type { BuildInfrastructureStatus } from '@airunway/schema';
import { BUILDER_NAME, REGISTRY_NAME, REGISTRY_VOLUME_CLAIM, type AikitSettings } from './settings.js';

interface DeploymentState extends KubeObject {
  spec?: { replicas?: number };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

interface ClaimState extends KubeObject {
  status?: { phase?: string };
}

/** Why a Deployment has no available pod, in its controller's words when it gave any. */
function notReadyReason(d: DeploymentState): string {
  const failing = d.status?.conditions?.find(
    (c) => (c.type === 'Progressing' || c.type === 'ReplicaFailure') && c.status === 'False',
  );
  const replicas = `${d.status?.availableReplicas ?? 0}/${d.spec?.replicas ?? 1} available`;
  return failing?.message ? `${replicas}: ${failing.message}` : replicas;
}

export interface InfrastructureState {
  readonly status: BuildInfrastructureStatus;
  /** What a build still needs, for BUILDER_UNAVAILABLE. */
  readonly missing: string[];
}

export async function readInfrastructure(
  kube: KubeClient,
  settings: AikitSettings,
): Promise<InfrastructureState> {
  const namespace = settings.namespace;
  const [registry, claim, builder] = await Promise.all([
    kube.tryGet<DeploymentState>(Resources.Deployment, REGISTRY_NAME, { namespace }),
    kube.tryGet<ClaimState>(Resources.PersistentVolumeClaim, REGISTRY_VOLUME_CLAIM, { namespace }),
    kube.tryGet<DeploymentState>(Resources.Deployment, BUILDER_NAME, { namespace }),
  ]);

  const registryReady = (registry?.status?.availableReplicas ?? 0) > 0;
  let registryMessage: string;
  if (!registry) registryMessage = `Registry is not set up (no Deployment ${REGISTRY_NAME} in ${namespace})`;
  else if (registryReady) registryMessage = 'Registry is running';
  else if (claim && claim.status?.phase !== 'Bound')
    registryMessage = `Registry is waiting for its volume: PersistentVolumeClaim ${REGISTRY_VOLUME_CLAIM} is ${claim.status?.phase ?? 'Pending'}`;
  else registryMessage = `Registry is starting (${notReadyReason(registry)})`;

  const builderReady = (builder?.status?.availableReplicas ?? 0) > 0;
  const builderRunning = (builder?.status?.replicas ?? 0) > 0;
  let builderMessage: string;
  if (!builder)
    builderMessage = `BuildKit builder is not set up (no Deployment ${BUILDER_NAME} in ${namespace})`;
  else if (builderReady) builderMessage = 'BuildKit builder is ready';
  else builderMessage = `BuildKit builder is starting (${notReadyReason(builder)})`;

  const missing: string[] = [];
  if (!registryReady) missing.push(registry ? 'registry not ready' : 'registry not set up');
  if (!builderReady) missing.push(builder ? 'builder not ready' : 'builder not set up');
  return {
    status: {
      ready: registryReady && builderReady,
      registry: { ready: registryReady, url: settings.registryUrl, message: registryMessage },
      builder: {
        exists: builder !== undefined,
        ready: builderReady,
        running: builderRunning,
        message: builderMessage,
      },
    },
    missing,
  };
}
