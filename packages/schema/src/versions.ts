// Versions of the upstream APIs AI Runway is built against, in one place for the operator
// (which renders InferencePools and HTTPRoutes of these versions) and the API (which installs
// their CRDs and says which version it expects). Pinned, never `latest`: a moving release
// could change the objects the operator writes under it.

/** Gateway API (standard channel) whose HTTPRoute v1 and Gateway v1 the operator uses. */
export const PINNED_GATEWAY_API_VERSION = 'v1.5.1';

/** Gateway API Inference Extension whose InferencePool v1 the operator renders. */
export const PINNED_GAIE_VERSION = 'v1.5.0';

/** Where Gateway API releases are downloaded from: `<base>/<version>/standard-install.yaml`. */
export const GATEWAY_API_RELEASES_URL = 'https://github.com/kubernetes-sigs/gateway-api/releases/download';

/** Where Inference Extension releases are downloaded from: `<base>/<version>/manifests.yaml`. */
export const GAIE_RELEASES_URL =
  'https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download';

export const GATEWAY_API_MANIFEST = 'standard-install.yaml';
export const GAIE_MANIFEST = 'manifests.yaml';

/** The CRD manifest of a release, e.g. gatewayApiManifestUrl() for the pinned Gateway API. */
export function gatewayApiManifestUrl(
  base: string = GATEWAY_API_RELEASES_URL,
  version: string = PINNED_GATEWAY_API_VERSION,
): string {
  return `${base.replace(/\/+$/, '')}/${version}/${GATEWAY_API_MANIFEST}`;
}

export function gaieManifestUrl(
  base: string = GAIE_RELEASES_URL,
  version: string = PINNED_GAIE_VERSION,
): string {
  return `${base.replace(/\/+$/, '')}/${version}/${GAIE_MANIFEST}`;
}
