// The REST API contract (and the tRPC router's inputs and outputs): request and response
// schemas per route group, and the error codes.
export * from './autoscaler.js';
export * from './cluster.js';
export * from './common.js';
export * from './errors.js';
export * from './gpu-capacity.js';
export * from './health.js';
export * from './models.js';
export * from './runtimes.js';
export * from './settings.js';
