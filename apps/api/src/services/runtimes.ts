// Providers as the operator sees them: the same detection (`usableProviders` over Established
// CRDs and Ready operator pods), read from the same kinds of watches, so the dashboard never
// offers a provider the operator would refuse.
import {
  PROVIDER_CATALOGUE,
  usableProviders,
  readyOperators,
  type ProviderUsability,
} from '@airunway/providers';
import {
  PROVIDER_NAMES,
  type ProviderName,
  type RuntimeStatus,
  type RuntimesStatusResponse,
} from '@airunway/schema';
import type { Caller } from '../auth/caller.js';
import type { ClusterCache } from '../cache/cluster-cache.js';
import type { OperatorPod } from '../cache/objects.js';

const VERSION_LABEL = 'app.kubernetes.io/version';

/** The tag of an image reference ("ghcr.io/kaito-project/workspace:0.6.0" → "0.6.0"), if it has one. */
export function imageTag(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const name = image.split('@')[0] ?? '';
  const colon = name.lastIndexOf(':');
  // A colon before the last "/" belongs to a registry port, not a tag.
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
}

function podReady(pod: OperatorPod): boolean {
  return pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

export class RuntimeService {
  constructor(private readonly cache: ClusterCache) {}

  private operatorPodsOf(provider: ProviderName): OperatorPod[] {
    return this.cache.operatorPods
      .filter((p) => p.provider === provider)
      .flatMap((p) => p.informer.list())
      .filter((pod) => !pod.metadata.deletionTimestamp);
  }

  private allOperatorPods(): OperatorPod[] {
    return this.cache.operatorPods.flatMap((p) => p.informer.list());
  }

  /** What the cache says now, synced or not (for status pages that must answer regardless). */
  currentUsability(): ProviderUsability {
    return usableProviders({
      establishedCrds: this.cache.establishedCrds(),
      readyOperators: readyOperators(this.allOperatorPods()),
    });
  }

  /** Provider usability once the caches it reads have synced. */
  async usability(): Promise<ProviderUsability> {
    await this.cache.whenSynced(this.cache.crds, ...this.cache.operatorPods.map((p) => p.informer));
    return this.currentUsability();
  }

  /**
   * Every provider. Whether a CRD exists is public to any authenticated user through API
   * discovery, so this takes no extra permission.
   */
  async status(_caller: Caller): Promise<RuntimesStatusResponse> {
    const usability = await this.usability();
    const established = new Set(this.cache.establishedCrds());
    const crds = this.cache.crds;
    return {
      runtimes: PROVIDER_NAMES.map((id): RuntimeStatus => {
        const info = PROVIDER_CATALOGUE[id];
        const { detection } = info;
        const state = usability[id];
        const pods = this.operatorPodsOf(id);
        const ready = pods.filter(podReady);
        const hasOperator = detection.operator.length > 0;
        const crdFound = detection.crds.every((crd) => established.has(crd));
        const operatorRunning = !hasOperator || ready.length > 0;
        const healthy = state.usable && ready.length === pods.length;

        const fromPod = ready
          .map((pod) => pod.metadata.labels?.[VERSION_LABEL] ?? imageTag(pod.spec.containers[0]?.image))
          .find((v) => v !== undefined);
        const fromCrd = detection.crds
          .flatMap((name) => Object.entries(crds.get(undefined, name)?.metadata.annotations ?? {}))
          .find(([key]) => key.endsWith('/bundle-version'))?.[1];
        const version = fromPod ?? fromCrd;

        let message: string;
        if (!state.usable) message = state.reason.charAt(0).toUpperCase() + state.reason.slice(1);
        else if (!healthy)
          message = `${info.displayName} is running, but ${pods.length - ready.length} of ${pods.length} operator pods are not ready`;
        else if (hasOperator) message = `${info.displayName} is installed and running`;
        else if (detection.crds.length > 0) message = `${info.displayName} is installed`;
        else message = `${info.displayName} needs nothing installed`;

        return {
          id,
          name: info.displayName,
          installed: state.usable,
          healthy,
          ...(version ? { version } : {}),
          message,
          crdFound,
          operatorRunning,
        };
      }),
    };
  }
}
