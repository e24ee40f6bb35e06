import { describe, expect, it } from 'vitest';
import { buildJob, jobOutcome, type JobState } from './build-job.js';
import { defaultImageName, defaultImageTag, ggufDownloadUrl, quantizationOf } from './image-names.js';
import { defaultAikitSettings } from './settings.js';

describe('image names', () => {
  it.each([
    ['gemma-3-1b-it-Q8_0.gguf', 'q8_0'],
    ['llama-2-7b-chat.Q4_K_M.gguf', 'q4_k_m'],
    ['Qwen3-0.6B-IQ2_XXS.gguf', 'iq2_xxs'],
    ['model-f16.gguf', 'f16'],
    ['gpt-oss-20b-MXFP4.gguf', 'mxfp4'],
    ['Q4_K_M/model-Q4_K_M-00001-of-00002.gguf', 'q4_k_m'],
  ])('%s is quantized %s', (file, quant) => {
    expect(quantizationOf(file)).toBe(quant);
  });

  it('a file without a quantization in its name is tagged custom', () => {
    expect(defaultImageTag('model.gguf')).toBe('custom');
  });

  it('the repository name, lowercase, as the image name', () => {
    expect(defaultImageName('bartowski/gemma-3-1b-it-GGUF')).toBe('aikit-gemma-3-1b-it-gguf');
    expect(defaultImageName('TheBloke/Llama_2.7B..Chat')).toBe('aikit-llama-2-7b-chat');
  });

  it('downloads from HuggingFace over https, each path segment escaped', () => {
    expect(ggufDownloadUrl('org/repo', 'sub dir/m.gguf')).toBe(
      'https://huggingface.co/org/repo/resolve/main/sub%20dir/m.gguf',
    );
  });
});

describe('build Job', () => {
  const settings = defaultAikitSettings('airunway-system');

  it('runs buildctl against the in-cluster builder and pushes to the registry', () => {
    const job = buildJob(settings, {
      imageRef: 'registry.airunway-system.svc.cluster.local:5000/my-model:v1',
      modelUrl: 'https://huggingface.co/org/repo/resolve/main/m.gguf',
    });
    const container = (job.spec as any).template.spec.containers[0];
    expect(container.command).toEqual(['buildctl']);
    expect(container.args).toEqual([
      '--addr',
      'tcp://buildkit-airunway.airunway-system.svc:1234',
      'build',
      '--frontend',
      'dockerfile.v0',
      '--opt',
      `context=${settings.aikitfileUrl}`,
      '--opt',
      'build-arg:model=https://huggingface.co/org/repo/resolve/main/m.gguf',
      '--output',
      'type=image,name=registry.airunway-system.svc.cluster.local:5000/my-model:v1,push=true,registry.insecure=true',
    ]);
    expect(job.metadata.labels?.['airunway.ai/aikit-build']).toMatch(/^[0-9a-f]{16}$/);
  });

  const at = (status: JobState['status']): JobState => ({
    metadata: { creationTimestamp: '2026-01-01T00:00:00Z' },
    status,
  });

  it('reads the outcome from the Job conditions', () => {
    const now = new Date('2026-01-01T00:10:00Z');
    expect(jobOutcome(at({ active: 1 }), now)).toEqual({ kind: 'running' });
    expect(
      jobOutcome(
        at({
          startTime: '2026-01-01T00:00:05Z',
          completionTime: '2026-01-01T00:02:05Z',
          conditions: [{ type: 'Complete', status: 'True' }],
        }),
        now,
      ),
    ).toEqual({ kind: 'succeeded', seconds: 120 });
    expect(
      jobOutcome(
        at({
          conditions: [
            {
              type: 'Failed',
              status: 'True',
              reason: 'BackoffLimitExceeded',
              message: 'Job has reached the specified backoff limit',
            },
          ],
        }),
        now,
      ),
    ).toEqual({ kind: 'failed', reason: 'Job has reached the specified backoff limit' });
  });
});
