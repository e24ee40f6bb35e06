// The Gateway API and Inference Extension CRDs: which ones routing needs, which versions are
// installed, and applying a pinned release's CRDs as the caller. Only CustomResourceDefinitions
// of the expected API groups are taken from a downloaded bundle: the route installs CRDs, and
// a compromised or changed download must not smuggle anything else in.
import { Resources, type CustomResourceDefinition, type KubeObject } from '@airunway/kube';
import type { Caller } from '../auth/caller.js';
import { ApiError } from '../errors.js';
import { parseManifests } from '../helm/manifest.js';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
export const INFERENCE_GROUPS = ['inference.networking.k8s.io', 'inference.networking.x-k8s.io'];

/** What routing through a Gateway needs (the operator renders HTTPRoutes for Gateways). */
export const HTTPROUTE_CRD = `httproutes.${GATEWAY_API_GROUP}`;
export const GATEWAY_API_CRDS = [`gateways.${GATEWAY_API_GROUP}`, HTTPROUTE_CRD];
/** The InferencePool every routed provider renders. */
export const INFERENCE_POOL_CRD = 'inferencepools.inference.networking.k8s.io';

/** Bundle-version annotations of the two projects' CRDs. */
export const GATEWAY_API_VERSION_ANNOTATION = `${GATEWAY_API_GROUP}/bundle-version`;
export const INFERENCE_EXT_VERSION_ANNOTATION = 'inference.networking.k8s.io/bundle-version';

const MAX_MANIFEST_BYTES = 20 * 1024 * 1024;
const FIELD_MANAGER = 'airunway-api';

/** Downloads a release manifest (a size and time limit, and a clear error). */
export async function fetchManifest(url: string, timeoutMs = 60_000): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (err) {
    const reason =
      err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    throw new ApiError('INSTALL_FAILED', `Downloading ${url} failed: ${reason}`, { url });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ApiError('INSTALL_FAILED', `Downloading ${url} failed: HTTP ${response.status}`, { url });
  }
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_MANIFEST_BYTES) {
    await response.body?.cancel();
    throw new ApiError(
      'INSTALL_FAILED',
      `Downloading ${url} failed: larger than ${MAX_MANIFEST_BYTES} bytes`,
    );
  }
  const text = await response.text();
  if (text.length > MAX_MANIFEST_BYTES)
    throw new ApiError(
      'INSTALL_FAILED',
      `Downloading ${url} failed: larger than ${MAX_MANIFEST_BYTES} bytes`,
    );
  return text;
}

export interface CrdSelection {
  readonly crds: CustomResourceDefinition[];
  /** "<Kind>/<name>" of everything else in the bundle, reported and not applied. */
  readonly skipped: string[];
}

/** The CRDs of `groups` in a manifest. */
export function selectCrds(manifest: string, groups: readonly string[]): CrdSelection {
  let objects: KubeObject[];
  try {
    objects = parseManifests(manifest);
  } catch (err) {
    throw new ApiError(
      'INSTALL_FAILED',
      `The downloaded manifest is not valid YAML: ${(err as Error).message}`,
    );
  }
  const crds: CustomResourceDefinition[] = [];
  const skipped: string[] = [];
  for (const obj of objects) {
    // A downloaded document may lack any field the type promises.
    const crd = obj as Partial<CustomResourceDefinition>;
    if (obj.kind === 'CustomResourceDefinition' && groups.includes(crd.spec?.group ?? ''))
      crds.push(obj as CustomResourceDefinition);
    else skipped.push(`${obj.kind ?? 'object'}/${obj.metadata.name ?? ''}`);
  }
  if (crds.length === 0)
    throw new ApiError('INSTALL_FAILED', `The downloaded manifest has no CRD of ${groups.join(' or ')}`);
  return { crds, skipped };
}

/**
 * Server-side applies each CRD as the caller (server-side: the largest Gateway API CRDs exceed
 * the annotation limit of client-side apply) and prints a line per CRD in kubectl's words.
 */
export async function applyCrds(
  caller: Caller,
  crds: readonly CustomResourceDefinition[],
  before: (name: string) => string | undefined,
  print: (line: string) => void,
): Promise<string[]> {
  const names: string[] = [];
  for (const crd of crds) {
    const name = crd.metadata.name ?? '';
    const previous = before(name);
    const applied = await caller.kube.apply(crd, {
      fieldManager: FIELD_MANAGER,
      force: true,
      resource: Resources.CustomResourceDefinition,
    });
    const outcome =
      previous === undefined
        ? 'created'
        : previous === applied.metadata.resourceVersion
          ? 'unchanged'
          : 'configured';
    print(`customresourcedefinition.apiextensions.k8s.io/${name} ${outcome}`);
    names.push(name);
  }
  return names;
}
