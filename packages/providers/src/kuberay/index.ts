// The KubeRay provider: vLLM served by Ray Serve LLM in a RayService (a CPU head and GPU workers).
import { PROVIDER_CATALOGUE } from '../catalogue.js';
import type { Provider } from '../provider.js';
import { LABEL_COMPONENT, selectorLabels } from '../pod-spec.js';
import { KUBERAY_SERVE_PORT, renderKuberay, validateKuberay } from './render.js';
import { kuberayObservedFrom, kuberayStatus } from './status.js';

export * from './ray-service.js';
export * from './render.js';
export {
  flagsToKwargs,
  serveConfig,
  serveConfigYaml,
  SERVE_APP_NAME,
  SERVE_IMPORT_PATH,
  type KwargsResult,
  type ServeConfigInput,
  type ServeReplicas,
} from './serve-config.js';
export * from './status.js';

export const kuberayProvider: Provider = {
  id: 'kuberay',
  capabilities: PROVIDER_CATALOGUE.kuberay.capabilities,
  detection: PROVIDER_CATALOGUE.kuberay.detection,
  validate: validateKuberay,
  render: renderKuberay,
  status: (md, observed) => kuberayStatus(md, kuberayObservedFrom(md, observed)),
  // The GPU workers run the model replicas; the head (no GPU) only coordinates.
  gatewayBackend: (md) => ({
    selector: { ...selectorLabels(md), [LABEL_COMPONENT]: 'model-server' },
    targetPort: KUBERAY_SERVE_PORT,
  }),
};
