// /installation/*: Helm, the Gateway API and Inference Extension CRDs, provider operators and
// the NVIDIA GPU Operator. Installs and uninstalls answer with one JSON object, or stream
// their progress as NDJSON events (one JSON object per line) when the client sends
// `Accept: application/x-ndjson`; the last event carries the same object (or the error).
import { z } from 'zod';
import { PROVIDER_NAMES } from '../constants.js';
import { ApiErrorBodySchema } from './errors.js';

/** The media type of a streamed install: one InstallEvent per line. */
export const INSTALL_STREAM_CONTENT_TYPE = 'application/x-ndjson';

// ── Helm ──────────────────────────────────────────────────────────────────────────────────

export const HelmStatusResponseSchema = z.object({
  available: z.boolean().describe('The API can run Helm (HELM_PATH, default `helm` on PATH).'),
  version: z.string().optional().describe('What `helm version` reports, e.g. v4.2.4.'),
  message: z.string().optional().describe('Why Helm is not available.'),
});
export type HelmStatusResponse = z.output<typeof HelmStatusResponseSchema>;

// ── steps of an install ───────────────────────────────────────────────────────────────────

export const InstallStepResultSchema = z.object({
  step: z.string().describe('What was done, e.g. "Install Helm chart: kuberay-operator".'),
  success: z.boolean(),
  output: z.string().describe('What the step printed (Helm output, applied objects).'),
});
export type InstallStepResult = z.output<typeof InstallStepResultSchema>;

/** Whether a provider (or the GPU Operator) is installed, after an install or uninstall. */
export const InstallationStatusSchema = z.object({
  installed: z.boolean(),
  crdFound: z.boolean(),
  operatorRunning: z.boolean(),
});
export type InstallationStatus = z.output<typeof InstallationStatusSchema>;

// ── Gateway API and Inference Extension ─────────────────────────────────────────────────────

export const GatewayCrdStatusResponseSchema = z.object({
  gatewayApiInstalled: z.boolean().describe('The Gateway API CRDs (Gateway, HTTPRoute) are Established.'),
  inferenceExtInstalled: z
    .boolean()
    .describe('The InferencePool CRD (inference.networking.k8s.io) is Established.'),
  gatewayApiVersion: z.string().optional().describe('Bundle version of the installed Gateway API CRDs.'),
  inferenceExtVersion: z
    .string()
    .optional()
    .describe('Bundle version of the installed Inference Extension CRDs.'),
  pinnedVersion: z.string().describe('The Inference Extension version AI Runway is built against.'),
  gatewayAvailable: z.boolean().describe('Both are installed and a Gateway to route through is selected.'),
  gatewayEndpoint: z.string().optional().describe("The selected Gateway's first address."),
  message: z.string(),
  installCommands: z
    .array(z.string())
    .describe('kubectl commands that install the pinned CRDs by hand (what POST install-crds does).'),
});
export type GatewayCrdStatusResponse = z.output<typeof GatewayCrdStatusResponseSchema>;

export const GatewayCrdInstallResponseSchema = z.object({
  success: z.boolean(),
  message: z.string(),
  results: z.array(InstallStepResultSchema),
});
export type GatewayCrdInstallResponse = z.output<typeof GatewayCrdInstallResponseSchema>;

// ── providers ─────────────────────────────────────────────────────────────────────────────

/** `:id` of /installation/providers/:id/*. */
export const ProviderIdParamsSchema = z.object({ id: z.enum(PROVIDER_NAMES) });

export const ProviderInstallStatusResponseSchema = z.object({
  providerId: z.enum(PROVIDER_NAMES),
  providerName: z.string(),
  installed: z.boolean().describe('Ready to use: CRDs Established and operator (if any) Ready.'),
  crdFound: z.boolean(),
  operatorRunning: z.boolean(),
  version: z.string().optional(),
  message: z.string(),
});
export type ProviderInstallStatusResponse = z.output<typeof ProviderInstallStatusResponseSchema>;

export const ProviderCommandsResponseSchema = z.object({
  commands: z.array(z.string()).describe('Shell commands installing the pinned chart, as the API would.'),
  message: z.string().optional().describe('Why there is nothing to run, for providers without a chart.'),
});
export type ProviderCommandsResponse = z.output<typeof ProviderCommandsResponseSchema>;

export const ProviderInstallResponseSchema = z.object({
  success: z.boolean(),
  message: z.string(),
  installationStatus: InstallationStatusSchema,
  results: z.array(InstallStepResultSchema),
});
export type ProviderInstallResponse = z.output<typeof ProviderInstallResponseSchema>;

/** POST …/uninstall and …/uninstall-crds. */
export const ProviderUninstallResponseSchema = ProviderInstallResponseSchema;
export type ProviderUninstallResponse = ProviderInstallResponse;

// ── NVIDIA GPU Operator ───────────────────────────────────────────────────────────────────

const GpuOperatorStateShape = {
  installed: z.boolean().describe('The ClusterPolicy CRD is Established and the operator has a Ready pod.'),
  crdFound: z.boolean(),
  operatorRunning: z.boolean(),
  gpusAvailable: z.boolean().describe('Some node has allocatable nvidia.com/gpu.'),
  totalGPUs: z.int().nonnegative(),
  gpuNodes: z.array(z.string()),
  message: z.string(),
};

export const GpuOperatorStatusResponseSchema = z.object({
  ...GpuOperatorStateShape,
  helmCommands: z.array(z.string()).describe('Shell commands installing the pinned chart by hand.'),
});
export type GpuOperatorStatusResponse = z.output<typeof GpuOperatorStatusResponseSchema>;

export const GpuOperatorInstallResponseSchema = z.object({
  success: z.boolean(),
  message: z.string(),
  status: z.object(GpuOperatorStateShape),
  results: z.array(InstallStepResultSchema),
});
export type GpuOperatorInstallResponse = z.output<typeof GpuOperatorInstallResponseSchema>;

// ── the NDJSON stream ─────────────────────────────────────────────────────────────────────

/**
 * One line of a streamed install: `step` when a step starts and ends, `output` for each line it
 * prints, then exactly one `result` (the response object above) or `error` (the error body and
 * the HTTP status the non-streamed request would have had).
 */
export const InstallEventSchema = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('step'),
    step: z.string(),
    status: z.enum(['running', 'succeeded', 'failed']),
  }),
  z.object({ event: z.literal('output'), step: z.string(), line: z.string() }),
  z.object({ event: z.literal('result'), status: z.int(), result: z.record(z.string(), z.unknown()) }),
  z.object({ event: z.literal('error'), status: z.int(), error: ApiErrorBodySchema }),
]);
export type InstallEvent = z.output<typeof InstallEventSchema>;
