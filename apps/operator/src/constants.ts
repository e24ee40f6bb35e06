/** Field manager of everything the operator applies, children and status alike. */
export const FIELD_MANAGER = 'airunway-operator';
/** `airunway.ai/reconcile-paused: "true"` stops reconciliation of one ModelDeployment. */
export const PAUSED_ANNOTATION = 'airunway.ai/reconcile-paused';
export const OPERATOR_VERSION = '0.1.0';
export const USER_AGENT = `airunway-operator/${OPERATOR_VERSION}`;
