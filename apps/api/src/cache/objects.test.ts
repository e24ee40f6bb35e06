import { describe, expect, it } from 'vitest';
import { effectiveExtendedRequests } from './objects.js';

const gpu = (n: number) => ({ resources: { limits: { 'nvidia.com/gpu': String(n) } } });
const pod = (spec: object) => ({ metadata: { name: 'p' }, spec });

describe('effectiveExtendedRequests', () => {
  it('sums the app containers; requests win over limits; CPU and memory are not kept', () => {
    expect(
      effectiveExtendedRequests(
        pod({
          containers: [
            gpu(1),
            {
              resources: { requests: { 'nvidia.com/gpu': '2', cpu: '4' }, limits: { 'nvidia.com/gpu': '2' } },
            },
          ],
        }),
      ),
    ).toEqual({ 'nvidia.com/gpu': 3 });
  });

  it('an init container that needs more than the app holds the larger amount', () => {
    expect(effectiveExtendedRequests(pod({ containers: [gpu(1)], initContainers: [gpu(4)] }))).toEqual({
      'nvidia.com/gpu': 4,
    });
  });

  it('sidecars (restartable init containers) add to both the app and later init containers', () => {
    const sidecar = { ...gpu(1), restartPolicy: 'Always' };
    expect(
      effectiveExtendedRequests(pod({ containers: [gpu(2)], initContainers: [sidecar, gpu(3)] })),
    ).toEqual({
      'nvidia.com/gpu': 4,
    });
  });

  it('a pod without extended resources holds none', () => {
    expect(
      effectiveExtendedRequests(pod({ containers: [{ resources: { requests: { cpu: '1' } } }] })),
    ).toEqual({});
  });
});
