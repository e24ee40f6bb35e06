// GET /installation/gateway/status from cached CRDs and Gateways: which of the two projects
// are installed and at which version, and whether the operator would find a Gateway to route
// through (the operator's own selectGateway decides).
import type { CustomResourceDefinition } from '@airunway/kube';
import { selectGateway, type Gateway, type GatewayRef } from '@airunway/providers';
import {
  gaieManifestUrl,
  gatewayApiManifestUrl,
  PINNED_GAIE_VERSION,
  type GatewayCrdStatusResponse,
} from '@airunway/schema';
import { crdEstablished } from '../cache/objects.js';
import {
  GATEWAY_API_CRDS,
  GATEWAY_API_VERSION_ANNOTATION,
  HTTPROUTE_CRD,
  INFERENCE_EXT_VERSION_ANNOTATION,
  INFERENCE_POOL_CRD,
} from './gateway-crds.js';

export interface GatewayFacts {
  readonly crds: readonly CustomResourceDefinition[];
  readonly gateways: readonly Gateway[];
  /** The Gateway the operator is told to use, when it is. */
  readonly configured?: GatewayRef;
  readonly gatewayApiReleasesUrl: string;
  readonly inferenceExtensionReleasesUrl: string;
}

export function gatewayInstallCommands(
  gatewayApiReleasesUrl: string,
  inferenceExtensionReleasesUrl: string,
): string[] {
  return [
    `kubectl apply --server-side -f ${gatewayApiManifestUrl(gatewayApiReleasesUrl)}`,
    `kubectl apply --server-side -f ${gaieManifestUrl(inferenceExtensionReleasesUrl)}`,
  ];
}

export function gatewayCrdStatus(facts: GatewayFacts): GatewayCrdStatusResponse {
  const byName = new Map(facts.crds.map((crd) => [crd.metadata.name ?? '', crd]));
  const established = (name: string) => {
    const crd = byName.get(name);
    return crd !== undefined && crdEstablished(crd);
  };
  const gatewayApiInstalled = GATEWAY_API_CRDS.every(established);
  const inferenceExtInstalled = established(INFERENCE_POOL_CRD);
  const gatewayApiVersion = byName.get(HTTPROUTE_CRD)?.metadata.annotations?.[GATEWAY_API_VERSION_ANNOTATION];
  const inferenceExtVersion =
    byName.get(INFERENCE_POOL_CRD)?.metadata.annotations?.[INFERENCE_EXT_VERSION_ANNOTATION];

  let gatewayEndpoint: string | undefined;
  let gatewayAvailable = false;
  let message: string;
  if (gatewayApiInstalled && inferenceExtInstalled) {
    const selection = selectGateway(facts.gateways, facts.configured);
    if (selection.ok) {
      gatewayAvailable = true;
      const chosen = facts.gateways.find(
        (g) =>
          g.metadata.name === selection.gateway.name && g.metadata.namespace === selection.gateway.namespace,
      );
      gatewayEndpoint = chosen?.status?.addresses?.[0]?.value;
      message = 'Gateway API and Inference Extension CRDs are installed. Gateway is available.';
    } else {
      message = `Gateway API and Inference Extension CRDs are installed. No Gateway is available: ${selection.message}.`;
    }
  } else {
    const missing = [
      ...(gatewayApiInstalled ? [] : ['Gateway API']),
      ...(inferenceExtInstalled ? [] : ['Inference Extension']),
    ];
    message = `${missing.join(' and ')} CRDs are not installed; install them with POST /installation/gateway/install-crds.`;
  }
  if (inferenceExtVersion && inferenceExtVersion !== PINNED_GAIE_VERSION)
    message += ` The installed Inference Extension is ${inferenceExtVersion}; AI Runway is built against ${PINNED_GAIE_VERSION}: re-apply the CRDs with install-crds.`;

  return {
    gatewayApiInstalled,
    inferenceExtInstalled,
    ...(gatewayApiVersion ? { gatewayApiVersion } : {}),
    ...(inferenceExtVersion ? { inferenceExtVersion } : {}),
    pinnedVersion: PINNED_GAIE_VERSION,
    gatewayAvailable,
    ...(gatewayEndpoint ? { gatewayEndpoint } : {}),
    message,
    installCommands: gatewayInstallCommands(facts.gatewayApiReleasesUrl, facts.inferenceExtensionReleasesUrl),
  };
}
