import { describe, expect, it } from 'vitest';
import { imageTag } from './runtimes.js';

describe('imageTag', () => {
  it.each([
    ['mcr.microsoft.com/aks/kaito/workspace:0.6.0', '0.6.0'],
    ['registry.local:5000/kuberay/operator:v1.4.2', 'v1.4.2'],
    ['registry.local:5000/kuberay/operator', undefined],
    ['nvcr.io/nvidia/ai-dynamo/operator:0.4.1@sha256:abc', '0.4.1'],
    ['nvcr.io/nvidia/ai-dynamo/operator@sha256:abc', undefined],
    [undefined, undefined],
  ])('%s → %s', (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });
});
