// The provider implementations, by name: what the operator renders with and what the API uses
// to preview the objects of a ModelDeployment.
import type { ProviderName } from '@airunway/schema';
import type { Provider } from './provider.js';
import { dynamoProvider } from './dynamo/index.js';
import { kaitoProvider } from './kaito/index.js';
import { kuberayProvider } from './kuberay/index.js';
import { llmdProvider } from './llmd/index.js';
import { vllmProvider } from './vllm/index.js';

export const PROVIDER_IMPLEMENTATIONS: Readonly<Record<ProviderName, Provider>> = {
  dynamo: dynamoProvider,
  kaito: kaitoProvider,
  kuberay: kuberayProvider,
  llmd: llmdProvider,
  vllm: vllmProvider,
};
