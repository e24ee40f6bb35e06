// AIKit images for GGUF models. A pre-made model is only a reference to its published image. A
// GGUF file from HuggingFace is built in the cluster — a Job running buildctl against the
// BuildKit daemon set up by POST /aikit/infrastructure/setup — and pushed to the registry set up
// beside it. Everything in the cluster is read and written with the caller's own token.
import { Resources, type KubeClient, type KubeObject } from '@airunway/kube';
import type {
  AikitBuildInput,
  AikitBuildPreviewResponse,
  AikitBuildResponse,
  AikitModel,
  AikitModelsResponse,
  BuildInfrastructureSetupResponse,
  BuildInfrastructureStatus,
} from '@airunway/schema';
import {
  buildJob,
  buildKey,
  BUILD_KEY_LABEL,
  jobOutcome,
  type BuildSpec,
  type JobState,
} from '../aikit/build-job.js';
import { defaultImageName, defaultImageTag, ggufDownloadUrl } from '../aikit/image-names.js';
import { infrastructureObjects } from '../aikit/infrastructure-objects.js';
import { readInfrastructure } from '../aikit/infrastructure-status.js';
import { BUILDER_NAME, type AikitSettings } from '../aikit/settings.js';
import type { Caller } from '../auth/caller.js';
import { AIKIT_PREMADE_MODELS, PREMADE_REGISTRY, type AikitPremadeModel } from '../data/aikit-models.js';
import { ApiError } from '../errors.js';

const FIELD_MANAGER = 'airunway-api';

interface TerminatedStatus {
  state?: { terminated?: { message?: string } };
}

type HuggingFaceBuild = Extract<AikitBuildInput, { modelSource: 'huggingface' }>;

/** A build's answer and whether it is finished (200) or still running (202). */
export interface BuildResult {
  readonly body: AikitBuildResponse;
  readonly finished: boolean;
}

const toModel = (m: AikitPremadeModel): AikitModel => ({
  id: m.id,
  modelName: m.modelName,
  image: m.image,
  license: m.license,
  servedModelName: m.servedModelName,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class AikitService {
  private readonly now: () => Date;

  constructor(
    private readonly settings: AikitSettings,
    now?: () => Date,
  ) {
    this.now = now ?? (() => new Date());
  }

  list(): AikitModelsResponse {
    return { models: AIKIT_PREMADE_MODELS.map(toModel), total: AIKIT_PREMADE_MODELS.length };
  }

  get(id: string): AikitModel {
    const model = AIKIT_PREMADE_MODELS.find((m) => m.id === id);
    if (!model) throw ApiError.notFound(`No pre-made AIKit model "${id}"`, { id });
    return toModel(model);
  }

  private huggingFaceSpec(input: HuggingFaceBuild): BuildSpec {
    const name = input.imageName ?? defaultImageName(input.modelId);
    const tag = input.imageTag ?? defaultImageTag(input.ggufFile);
    return {
      imageRef: `${this.settings.registryUrl}/${name}:${tag}`,
      modelUrl: ggufDownloadUrl(input.modelId, input.ggufFile),
    };
  }

  preview(input: AikitBuildInput): AikitBuildPreviewResponse {
    if (input.modelSource === 'premade')
      return {
        imageRef: this.get(input.premadeModel).image,
        wasPremade: true,
        requiresBuild: false,
        registryUrl: PREMADE_REGISTRY,
      };
    return {
      imageRef: this.huggingFaceSpec(input).imageRef,
      wasPremade: false,
      requiresBuild: true,
      registryUrl: this.settings.registryUrl,
    };
  }

  async build(caller: Caller, input: AikitBuildInput): Promise<BuildResult> {
    if (input.modelSource === 'premade') {
      const model = this.get(input.premadeModel);
      return {
        finished: true,
        body: {
          success: true,
          imageRef: model.image,
          buildTime: 0,
          wasPremade: true,
          message: `Using the pre-made image of ${model.modelName}`,
        },
      };
    }
    const spec = this.huggingFaceSpec(input);
    const { missing } = await readInfrastructure(caller.kube, this.settings);
    if (missing.length > 0)
      throw new ApiError(
        'BUILDER_UNAVAILABLE',
        `Cannot build ${spec.imageRef}: the in-cluster build infrastructure is missing or not ready ` +
          `(${missing.join(', ')}); set it up with POST /api/aikit/infrastructure/setup`,
        { missing, namespace: this.settings.namespace, imageRef: spec.imageRef },
      );
    const job = (await this.existingBuild(caller.kube, spec)) ?? (await this.startBuild(caller.kube, spec));
    return this.waitForBuild(caller.kube, job, spec);
  }

  /** The newest Job of this build unless it failed (a failed build is started again). */
  private async existingBuild(kube: KubeClient, spec: BuildSpec): Promise<JobState | undefined> {
    const jobs = await kube.list<JobState>(Resources.Job, {
      namespace: this.settings.namespace,
      labelSelector: `${BUILD_KEY_LABEL}=${buildKey(this.settings, spec)}`,
    });
    const newest = jobs.items
      .filter((j) => !j.metadata.deletionTimestamp)
      .sort((a, b) =>
        (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''),
      )[0];
    return newest && jobOutcome(newest, this.now()).kind !== 'failed' ? newest : undefined;
  }

  private startBuild(kube: KubeClient, spec: BuildSpec): Promise<JobState> {
    return kube.create<JobState>(Resources.Job, buildJob(this.settings, spec), {
      fieldManager: FIELD_MANAGER,
    });
  }

  private async waitForBuild(kube: KubeClient, started: JobState, spec: BuildSpec): Promise<BuildResult> {
    const name = started.metadata.name ?? '';
    const { namespace, buildWaitMs, pollMs } = this.settings;
    const deadline = Date.now() + buildWaitMs;
    let job = started;
    for (;;) {
      const outcome = jobOutcome(job, this.now());
      if (outcome.kind === 'succeeded')
        return {
          finished: true,
          body: {
            success: true,
            imageRef: spec.imageRef,
            buildTime: outcome.seconds,
            wasPremade: false,
            message: 'AIKit image built successfully',
            buildJob: name,
          },
        };
      if (outcome.kind === 'failed') throw await this.buildFailure(kube, name, spec, outcome.reason);
      if (Date.now() >= deadline) break;
      await sleep(pollMs);
      job = await kube.get<JobState>(Resources.Job, name, { namespace });
    }
    const began = Date.parse(job.status?.startTime ?? job.metadata.creationTimestamp ?? '');
    return {
      finished: false,
      body: {
        success: false,
        imageRef: spec.imageRef,
        buildTime: Number.isFinite(began)
          ? Math.max(0, Math.round((this.now().getTime() - began) / 1000))
          : 0,
        wasPremade: false,
        message: `The image is still being built by Job ${name} in ${namespace}; send the same request again to wait for it`,
        buildJob: name,
      },
    };
  }

  /** The Job's reason and, when readable, the end of buildctl's output (its termination message). */
  private async buildFailure(
    kube: KubeClient,
    job: string,
    spec: BuildSpec,
    reason: string,
  ): Promise<ApiError> {
    let output: string | undefined;
    try {
      const pods = await kube.list<KubeObject & { status?: { containerStatuses?: TerminatedStatus[] } }>(
        Resources.Pod,
        { namespace: this.settings.namespace, labelSelector: `batch.kubernetes.io/job-name=${job}` },
      );
      output = pods.items
        .flatMap((p) => p.status?.containerStatuses ?? [])
        .map((c) => c.state?.terminated?.message?.trim())
        .find(Boolean);
    } catch {
      // The failure is reported either way; its output is a detail the caller may not read.
    }
    return new ApiError('UPSTREAM_UNAVAILABLE', `Building ${spec.imageRef} failed: ${reason}`, {
      service: 'buildkit',
      reason: 'build-failed',
      buildJob: job,
      ...(output ? { output: output.slice(-2000) } : {}),
    });
  }

  infrastructureStatus(caller: Caller): Promise<BuildInfrastructureStatus> {
    return readInfrastructure(caller.kube, this.settings).then((s) => s.status);
  }

  async setup(caller: Caller): Promise<BuildInfrastructureSetupResponse> {
    const applied: string[] = [];
    for (const { object, resource } of infrastructureObjects(this.settings)) {
      await caller.kube.apply(object, { fieldManager: FIELD_MANAGER, force: true, resource });
      applied.push(`${object.kind}/${object.metadata.name}`);
    }
    const deadline = Date.now() + this.settings.setupWaitMs;
    let state = await readInfrastructure(caller.kube, this.settings);
    while (!state.status.ready && Date.now() < deadline) {
      await sleep(this.settings.pollMs);
      state = await readInfrastructure(caller.kube, this.settings);
    }
    const { registry, builder } = state.status;
    return {
      success: true,
      message: state.status.ready
        ? 'Build infrastructure is ready'
        : `Build infrastructure applied, not ready yet: ${registry.ready ? '' : `${registry.message}. `}${builder.ready ? '' : `${builder.message}.`}`.trim(),
      registry: { url: registry.url, ready: registry.ready },
      builder: { name: BUILDER_NAME, ready: builder.ready },
      applied,
    };
  }
}
