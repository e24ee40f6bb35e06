// The llm-d provider: vLLM Deployments behind an InferencePool and the llm-d scheduler.
import { PROVIDER_CATALOGUE } from '../catalogue.js';
import type { Provider } from '../provider.js';
import { renderLlmd, validateLlmd } from './render.js';
import { llmdStatus } from './status.js';

export * from './render.js';
export * from './status.js';

export const llmdProvider: Provider = {
  id: 'llmd',
  capabilities: PROVIDER_CATALOGUE.llmd.capabilities,
  detection: PROVIDER_CATALOGUE.llmd.detection,
  validate: validateLlmd,
  render: renderLlmd,
  status: llmdStatus,
};
