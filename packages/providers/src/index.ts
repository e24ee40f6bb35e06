// Public API of @airunway/providers: pure functions for provider capabilities and detection,
// provider and engine selection, engine flags and pod mapping shared by every provider, and
// the Direct vLLM provider. No I/O: the operator feeds in what it observed and applies what
// comes out.
export * from './catalogue.js';
export * from './engine-args.js';
export * from './overrides.js';
export type * from './kubernetes.js';
export * from './pod-spec.js';
export * from './pod-status.js';
export * from './provider.js';
export * from './quantity.js';
export * from './registry.js';
export * from './rendered-kinds.js';
export * from './selection.js';
export * from './usability.js';
export * from './dynamo/index.js';
export * from './kaito/index.js';
export * from './gateway/index.js';
export * from './kuberay/index.js';
export * from './llmd/index.js';
export * from './vllm/index.js';
