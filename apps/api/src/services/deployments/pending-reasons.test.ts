import { describe, expect, it } from 'vitest';
import { classify } from './pending-reasons.js';

describe('classify', () => {
  it('GPU shortage: a resource constraint more nodes would solve', () => {
    expect(classify('0/3 nodes are available: 3 Insufficient nvidia.com/gpu.')).toEqual({
      isResourceConstraint: true,
      resourceType: 'gpu',
      canAutoscalerHelp: true,
    });
  });
  it('memory and cpu; taints and selectors stop the autoscaler', () => {
    expect(classify('0/2 nodes are available: 2 Insufficient memory.').resourceType).toBe('memory');
    expect(
      classify(
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.",
      ),
    ).toEqual({ isResourceConstraint: true, resourceType: 'cpu', canAutoscalerHelp: false });
    expect(classify('0/1 nodes are available: 1 node(s) had untolerated taint {gpu: present}.')).toEqual({
      isResourceConstraint: false,
      canAutoscalerHelp: false,
    });
  });
});
