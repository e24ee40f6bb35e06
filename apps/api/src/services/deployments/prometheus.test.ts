import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './prometheus.js';

// Shapes as vLLM (prometheus_client) and llama.cpp's server write them.
const VLLM = `# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{engine="0",model_name="Qwen/Qwen3-0.6B"} 5.0
# HELP vllm:e2e_request_latency_seconds Histogram of e2e request latency in seconds.
# TYPE vllm:e2e_request_latency_seconds histogram
vllm:e2e_request_latency_seconds_bucket{le="0.3",model_name="Qwen/Qwen3-0.6B"} 2.0
vllm:e2e_request_latency_seconds_bucket{le="+Inf",model_name="Qwen/Qwen3-0.6B"} 7.0
vllm:e2e_request_latency_seconds_sum{model_name="Qwen/Qwen3-0.6B"} 3.25
vllm:gpu_cache_usage_perc{model_name="a \\"quoted\\", name"} 0.452
python_gc_objects_collected_total{generation="0"} NaN
`;
const LLAMACPP = `# HELP llamacpp:prompt_tokens_total Number of prompt tokens processed.
# TYPE llamacpp:prompt_tokens_total counter
llamacpp:prompt_tokens_total 1024
# TYPE llamacpp:requests_processing gauge
llamacpp:requests_processing 1 1700000000000
`;

describe('parsePrometheusText', () => {
  it('reads vLLM samples with labels, types and escapes; drops non-finite values', () => {
    const samples = parsePrometheusText(VLLM);
    expect(samples[0]).toEqual({
      name: 'vllm:num_requests_running',
      labels: { engine: '0', model_name: 'Qwen/Qwen3-0.6B' },
      value: 5,
      type: 'gauge',
    });
    expect(samples.find((s) => s.labels.le === '+Inf')).toMatchObject({ value: 7, type: 'histogram' });
    expect(samples.find((s) => s.name === 'vllm:gpu_cache_usage_perc')?.labels.model_name).toBe(
      'a "quoted", name',
    );
    expect(samples.some((s) => s.name.startsWith('python_'))).toBe(false);
  });

  it('reads llama.cpp samples without labels, with a timestamp', () => {
    expect(parsePrometheusText(LLAMACPP)).toEqual([
      { name: 'llamacpp:prompt_tokens_total', labels: {}, value: 1024, type: 'counter' },
      { name: 'llamacpp:requests_processing', labels: {}, value: 1, type: 'gauge' },
    ]);
  });
});
