// The KAITO provider: a kaito.sh Workspace, with a vLLM preset on GPUs or a llama.cpp pod
// template on CPUs or GPUs.
import { PROVIDER_CATALOGUE } from '../catalogue.js';
import type { Provider } from '../provider.js';
import {
  KAITO_INFERENCE_PORT,
  WORKSPACE_KIND,
  kaitoPodSelector,
  renderKaito,
  validateKaito,
  workspaceRecreateKey,
  type Workspace,
} from './render.js';
import { kaitoObservedFrom, kaitoStatus } from './status.js';

export * from './render.js';
export * from './status.js';

export const kaitoProvider: Provider = {
  id: 'kaito',
  capabilities: PROVIDER_CATALOGUE.kaito.capabilities,
  detection: PROVIDER_CATALOGUE.kaito.detection,
  validate: validateKaito,
  render: renderKaito,
  status: (md, observed) => kaitoStatus(md, kaitoObservedFrom(md, observed)),
  // KAITO's preset pods carry only its own label, and its Service maps port 80 to the server's.
  gatewayBackend: (md) => ({ selector: kaitoPodSelector(md), targetPort: KAITO_INFERENCE_PORT }),
  recreateKey: (objects) => {
    const workspace = objects.find((o) => o.kind === WORKSPACE_KIND);
    return workspace === undefined ? undefined : workspaceRecreateKey(workspace as Workspace);
  },
};
