// A build whose Job fails, which kwok (it completes every Job pod) cannot show: the apiserver's
// answers are stood in for by a small in-memory client.
import type { KubeClient, KubeObject, ResourceDescriptor } from '@airunway/kube';
import { describe, expect, it } from 'vitest';
import { defaultAikitSettings } from '../aikit/settings.js';
import type { Caller } from '../auth/caller.js';
import { ApiError } from '../errors.js';
import { AikitService } from './aikit.js';

const settings = { ...defaultAikitSettings('airunway-system'), buildWaitMs: 5_000, pollMs: 1 };
const ready = { status: { replicas: 1, availableReplicas: 1 } };
const failed = {
  conditions: [
    {
      type: 'Failed',
      status: 'True',
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    },
  ],
};

function fakeCluster(existing: KubeObject[] = []) {
  const created: KubeObject[] = [];
  const kube = {
    tryGet: (r: ResourceDescriptor, name: string) =>
      Promise.resolve(r.resource === 'deployments' ? { metadata: { name }, ...ready } : undefined),
    list: (r: ResourceDescriptor) =>
      Promise.resolve({
        metadata: {},
        items:
          r.resource === 'jobs'
            ? [...existing, ...created]
            : [
                {
                  metadata: { name: 'build-pod' },
                  status: {
                    containerStatuses: [
                      {
                        state: {
                          terminated: { message: 'error: failed to solve: huggingface.co: 404 Not Found' },
                        },
                      },
                    ],
                  },
                },
              ],
      }),
    create: (_r: ResourceDescriptor, obj: KubeObject) => {
      const job = { ...obj, metadata: { ...obj.metadata, name: `aikit-build-${created.length}` } };
      created.push(job);
      return Promise.resolve(job);
    },
    get: (_r: ResourceDescriptor, name: string) =>
      Promise.resolve({ ...created.find((j) => j.metadata.name === name), status: failed }),
  };
  const caller = { kube: kube as unknown as KubeClient } as Caller;
  return { caller, created };
}

const input = {
  modelSource: 'huggingface' as const,
  modelId: 'org/repo',
  ggufFile: 'm-Q4_K_M.gguf',
};

describe('a failed build', () => {
  it('is UPSTREAM_UNAVAILABLE with the Job, its reason and the end of buildctl’s output', async () => {
    const { caller } = fakeCluster();
    const err = await new AikitService(settings).build(caller, input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).toBody()).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      error: `Building ${settings.registryUrl}/aikit-repo:q4_k_m failed: Job has reached the specified backoff limit`,
      details: {
        service: 'buildkit',
        reason: 'build-failed',
        buildJob: 'aikit-build-0',
        output: 'error: failed to solve: huggingface.co: 404 Not Found',
      },
    });
  });

  it('is started again when asked again, not reported from the old Job forever', async () => {
    const { caller, created } = fakeCluster();
    const service = new AikitService(settings);
    await service.build(caller, input).catch(() => undefined);
    created[0]!.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
    (created[0] as KubeObject & { status?: unknown }).status = failed;
    await service.build(caller, input).catch(() => undefined);
    expect(created).toHaveLength(2);
  });
});
