// A build is a Job running buildctl against the in-cluster BuildKit daemon: the AIKit build
// definition with the GGUF file's URL as its `model` argument, pushed to the in-cluster
// registry. Jobs of one build carry the hash of what they build, so asking again for the same
// image finds the Job already running (or done) instead of starting another.
import { createHash } from 'node:crypto';
import type { KubeObject } from '@airunway/kube';
import { BUILD_COMPONENT, labels } from './infrastructure-objects.js';
import { BUILDER_NAME, BUILDER_PORT, type AikitSettings } from './settings.js';

export const BUILD_KEY_LABEL = 'airunway.ai/aikit-build';
export const IMAGE_ANNOTATION = 'airunway.ai/image-ref';

export interface BuildSpec {
  readonly imageRef: string;
  readonly modelUrl: string;
}

export interface JobState extends KubeObject {
  spec?: Record<string, unknown>;
  status?: {
    startTime?: string;
    completionTime?: string;
    active?: number;
    failed?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/** A label value (≤ 63 characters) naming the build. */
export function buildKey(settings: AikitSettings, spec: BuildSpec): string {
  return createHash('sha256')
    .update(JSON.stringify([spec.imageRef, spec.modelUrl, settings.aikitfileUrl, settings.builderImage]))
    .digest('hex')
    .slice(0, 16);
}

export function buildJob(settings: AikitSettings, spec: BuildSpec): JobState {
  const key = buildKey(settings, spec);
  const builder = `tcp://${BUILDER_NAME}.${settings.namespace}.svc:${BUILDER_PORT}`;
  // The registry is plain HTTP inside the cluster, hence registry.insecure.
  const output = `type=image,name=${spec.imageRef},push=true,registry.insecure=true`;
  const podLabels = { ...labels(BUILD_COMPONENT, 'aikit-build'), [BUILD_KEY_LABEL]: key };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      generateName: `aikit-build-${key.slice(0, 8)}-`,
      namespace: settings.namespace,
      labels: podLabels,
      annotations: { [IMAGE_ANNOTATION]: spec.imageRef },
    },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: 3600,
      // Kept a day: the same request again reports the result instead of building twice.
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: { labels: podLabels },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'buildctl',
              image: settings.builderImage,
              command: ['buildctl'],
              args: [
                '--addr',
                builder,
                'build',
                '--frontend',
                'dockerfile.v0',
                // An HTTP context that is not an archive is the build definition itself.
                '--opt',
                `context=${settings.aikitfileUrl}`,
                '--opt',
                `build-arg:model=${spec.modelUrl}`,
                '--output',
                output,
              ],
              // The end of buildctl's output becomes the failure message the API reports.
              terminationMessagePolicy: 'FallbackToLogsOnError',
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
              securityContext: {
                runAsNonRoot: true,
                runAsUser: 1000,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
            },
          ],
        },
      },
    },
  };
}

export type JobOutcome =
  | { readonly kind: 'running' }
  | { readonly kind: 'succeeded'; readonly seconds: number }
  | { readonly kind: 'failed'; readonly reason: string };

const condition = (job: JobState, type: string) =>
  job.status?.conditions?.find((c) => c.type === type && c.status === 'True');

export function jobOutcome(job: JobState, now: Date): JobOutcome {
  const failed = condition(job, 'Failed');
  if (failed) return { kind: 'failed', reason: failed.message ?? failed.reason ?? 'the build Job failed' };
  if (condition(job, 'Complete')) {
    const start = Date.parse(job.status?.startTime ?? job.metadata.creationTimestamp ?? '');
    const end = Date.parse(job.status?.completionTime ?? '') || now.getTime();
    return {
      kind: 'succeeded',
      seconds: Number.isFinite(start) ? Math.max(0, Math.round((end - start) / 1000)) : 0,
    };
  }
  return { kind: 'running' };
}
