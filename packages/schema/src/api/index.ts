// The REST API contract (and the tRPC router's inputs and outputs): request and response
// schemas per route group, and the error codes.
export * from './aiconfigurator.js';
export * from './aikit.js';
export * from './autoscaler.js';
export * from './cluster.js';
export * from './common.js';
export * from './costs.js';
export * from './deployment-observability.js';
export * from './deployments.js';
export * from './errors.js';
export * from './gateway.js';
export * from './gpu-capacity.js';
export * from './health.js';
export * from './installation.js';
export * from './huggingface.js';
export * from './models.js';
export * from './permissions.js';
export * from './runtimes.js';
export * from './settings.js';
// aiconfigurator.ts declares its own SERVING_MODES (the same list): name the ModelDeployment's one,
// or the root index's two star exports would make the name ambiguous and fail to link.
export { SERVING_MODES } from '../constants.js';
