// Public API of @airunway/schema: the ModelDeployment resource in Zod (schemas, types,
// enums, defaults, validation rules) and helpers that report errors by field path.
export * from './constants.js';
export * from './field-errors.js';
export * from './identity.js';
export * from './kubernetes.js';
export { boundedRecord, intOrString, listMap, preserveUnknownFields } from './kubernetes-extensions.js';
export * from './model-deployment.js';
export * from './model-deployment-spec.js';
export * from './model-deployment-status.js';
export * from './validation-rule.js';
export * from './validation-rules.js';
export * from './versions.js';
export * from './api/index.js';
