import { describe, expect, it } from 'vitest';
import { effectiveRequests, resourceAmount } from './objects.js';

const gpu = (n: number) => ({ resources: { limits: { 'nvidia.com/gpu': String(n) } } });
const pod = (spec: object) => ({ metadata: { name: 'p' }, spec });

describe('effectiveRequests', () => {
  it('sums the app containers; requests win over limits; cpu in millicores, memory in bytes', () => {
    expect(
      effectiveRequests(
        pod({
          containers: [
            gpu(1),
            {
              resources: {
                requests: { 'nvidia.com/gpu': '2', cpu: '500m', memory: '1Gi' },
                limits: { 'nvidia.com/gpu': '2', cpu: '4' },
              },
            },
          ],
        }),
      ),
    ).toEqual({ 'nvidia.com/gpu': 3, cpu: 500, memory: 2 ** 30 });
  });

  it('an init container that needs more than the app holds the larger amount', () => {
    expect(effectiveRequests(pod({ containers: [gpu(1)], initContainers: [gpu(4)] }))).toEqual({
      'nvidia.com/gpu': 4,
    });
  });

  it('sidecars (restartable init containers) add to both the app and later init containers', () => {
    const sidecar = { ...gpu(1), restartPolicy: 'Always' };
    expect(effectiveRequests(pod({ containers: [gpu(2)], initContainers: [sidecar, gpu(3)] }))).toEqual({
      'nvidia.com/gpu': 4,
    });
  });

  it('a pod without requests holds nothing', () => {
    expect(effectiveRequests(pod({ containers: [{}] }))).toEqual({});
  });
});

describe('resourceAmount', () => {
  it('normalises quantities; nonsense is 0', () => {
    expect(resourceAmount('cpu', '2')).toBe(2000);
    expect(resourceAmount('cpu', 1.5)).toBe(1500);
    expect(resourceAmount('memory', '512Mi')).toBe(512 * 2 ** 20);
    expect(resourceAmount('memory', '1G')).toBe(1e9);
    expect(resourceAmount('nvidia.com/gpu', '8')).toBe(8);
    expect(resourceAmount('memory', 'lots')).toBe(0);
    expect(resourceAmount('cpu', undefined)).toBe(0);
  });
});
