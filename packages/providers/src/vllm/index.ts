// The Direct vLLM provider: a plain Deployment + Service, nothing to install.
import { PROVIDER_CATALOGUE } from '../catalogue.js';
import type { Provider } from '../provider.js';
import { renderVllm, validateVllm } from './render.js';
import { vllmObservedFrom, vllmStatus } from './status.js';

export * from './render.js';
export * from './status.js';

export const vllmProvider: Provider = {
  id: 'vllm',
  capabilities: PROVIDER_CATALOGUE.vllm.capabilities,
  detection: PROVIDER_CATALOGUE.vllm.detection,
  validate: validateVllm,
  render: renderVllm,
  status: (md, observed) => vllmStatus(md, vllmObservedFrom(md, observed)),
};
