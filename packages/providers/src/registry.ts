// The provider implementations, by name: what the operator renders with and what the API uses
// to preview the objects of a ModelDeployment.
import type { ProviderName } from '@airunway/schema';
import type { Provider } from './provider.js';
import { vllmProvider } from './vllm/index.js';

export const PROVIDER_IMPLEMENTATIONS: Partial<Readonly<Record<ProviderName, Provider>>> = {
  vllm: vllmProvider,
};
