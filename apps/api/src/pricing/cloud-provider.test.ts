import { describe, expect, it } from 'vitest';
import { detectCloudProvider } from './cloud-provider.js';

describe('detectCloudProvider', () => {
  it.each([
    ['Standard_NC24ads_A100_v4', 'azure'],
    ['Standard_ND96isr_H100_v5', 'azure'],
    ['Basic_A1', 'azure'],
    ['p4d.24xlarge', 'aws'],
    ['g5.xlarge', 'aws'],
    ['m5.large', 'aws'],
    ['n1-standard-4', 'gcp'],
    ['a2-highgpu-1g', 'gcp'],
    ['a3-megagpu-8g', 'gcp'],
    ['gpu-node', undefined],
    ['unknown-instance', undefined],
  ])('%s → %s', (instanceType, provider) => {
    expect(detectCloudProvider(instanceType)).toBe(provider);
  });
});
