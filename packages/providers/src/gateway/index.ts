// Routing ModelDeployments through an inference Gateway (Gateway API + Inference Extension),
// and the InferencePool and endpoint picker rendering that llm-d shares.
export * from './epp.js';
export * from './objects.js';
export * from './render.js';
export * from './status.js';
