// Where and with what GGUF images are built. The registry and the builder live in the
// product's namespace; their images are pinned so that a setup today and one next month run
// the same software.

export interface AikitSettings {
  /** The product namespace: registry, builder and build Jobs go here. */
  readonly namespace: string;
  /** host:port images are pushed to and pulled from. */
  readonly registryUrl: string;
  readonly registryImage: string;
  /** BuildKit, rootless: buildkitd for the builder, buildctl for build Jobs. */
  readonly builderImage: string;
  /** The AIKit build definition a GGUF URL is handed to (its #syntax line names the AIKit frontend). */
  readonly aikitfileUrl: string;
  readonly registryStorage: string;
  /** How long POST /aikit/build waits for its Job before answering 202 (the Job goes on). */
  readonly buildWaitMs: number;
  /** How long POST /aikit/infrastructure/setup waits for the registry and builder to be ready. */
  readonly setupWaitMs: number;
  readonly pollMs: number;
}

export const REGISTRY_NAME = 'registry';
export const REGISTRY_PORT = 5000;
export const REGISTRY_VOLUME_CLAIM = 'registry-data';
export const BUILDER_NAME = 'buildkit-airunway';
export const BUILDER_PORT = 1234;

export function defaultAikitSettings(namespace: string, registryUrl?: string): AikitSettings {
  return {
    namespace,
    registryUrl: registryUrl ?? `${REGISTRY_NAME}.${namespace}.svc.cluster.local:${REGISTRY_PORT}`,
    registryImage: 'docker.io/library/registry:2.8.3',
    builderImage: 'docker.io/moby/buildkit:v0.23.2-rootless',
    aikitfileUrl: 'https://raw.githubusercontent.com/kaito-project/aikit/main/models/aikitfile.yaml',
    registryStorage: '10Gi',
    // Under Node's 300 s request timeout: a longer build answers 202 and is waited for again.
    buildWaitMs: 240_000,
    setupWaitMs: 30_000,
    pollMs: 1_000,
  };
}
