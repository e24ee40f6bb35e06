// Parsing of output the real CLI wrote (test/fixtures/aiconfigurator, aiconfigurator 0.12.0).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';
import {
  bestCandidate,
  parseResultFile,
  performanceOf,
  readCandidates,
  ResultFormatError,
} from './results.js';
import { parseSupportMatrix, systemForGpu } from './systems.js';

const fixture = (name: string) =>
  readFile(new URL(`../../test/fixtures/aiconfigurator/${name}`, import.meta.url), 'utf8');

describe('result files of aiconfigurator cli default', () => {
  it('an aggregated row: one replica of tp × pp GPUs with its batch and concurrency', async () => {
    const [first, second] = parseResultFile(await fixture('agg-best_config_topn.csv'), 'agg');
    expect(first).toEqual({
      mode: 'aggregated',
      gpusPerReplica: 1,
      tokensPerSecPerGpu: 5285.702,
      tokensPerSec: 5285.702,
      tokensPerSecPerUser: 47.457,
      ttftMs: 117.47,
      tpotMs: 21.072,
      requestLatencyMs: 21168.047,
      backend: 'vllm',
      backendVersion: '0.24.0',
      config: {
        tensorParallelDegree: 1,
        pipelineParallelDegree: 1,
        maxBatchSize: 112,
        maxNumSeqs: 112,
        maxModelLen: 5000,
      },
    });
    expect(second?.config.tensorParallelDegree).toBe(2);
    expect(second?.gpusPerReplica).toBe(2);
  });

  it('a disaggregated row: prefill and decode workers with their own parallelism', async () => {
    const [row] = parseResultFile(await fixture('disagg-best_config_topn.csv'), 'disagg');
    expect(row).toMatchObject({
      mode: 'disaggregated',
      gpusPerReplica: 2,
      ttftMs: 24.44,
      backend: 'vllm',
      config: {
        tensorParallelDegree: 1,
        maxBatchSize: 124,
        maxNumSeqs: 124,
        maxModelLen: 5000,
        prefillTensorParallel: 1,
        decodeTensorParallel: 1,
        prefillReplicas: 1,
        decodeReplicas: 1,
      },
    });
  });

  it('throughput picks the most tokens/s per GPU, latency the shortest time to first token', async () => {
    const candidates = [
      ...parseResultFile(await fixture('agg-best_config_topn.csv'), 'agg'),
      ...parseResultFile(await fixture('disagg-best_config_topn.csv'), 'disagg'),
    ];
    expect(bestCandidate(candidates, 'throughput')).toMatchObject({
      mode: 'aggregated',
      tokensPerSecPerGpu: 5285.702,
    });
    expect(bestCandidate(candidates, 'latency')).toMatchObject({ mode: 'disaggregated', ttftMs: 24.44 });
    expect(bestCandidate([], 'throughput')).toBeUndefined();
  });

  it('throughput of all replicas, latency as modelled', async () => {
    const [first] = parseResultFile(await fixture('agg-best_config_topn.csv'), 'agg');
    expect(performanceOf(first!, 2)).toEqual({
      throughputTokensPerSec: 10571.4,
      latencyP50Ms: 117.47,
      tokensPerSecPerUser: 47.46,
      timePerOutputTokenMs: 21.07,
      requestLatencyMs: 21168.05,
    });
  });

  it('a file without a column the mapping needs is an error, not a zero', () => {
    expect(() => parseResultFile('model,tp\nQwen/Qwen3-0.6B,1\n', 'agg')).toThrow(ResultFormatError);
    expect(() => parseResultFile('model,tp\nQwen/Qwen3-0.6B,1\n', 'agg')).toThrow(/num_total_gpus/);
  });

  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('finds the files where the CLI saves them (agg/ and disagg/ under a per-run folder)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aic-results-'));
    dirs.push(dir);
    const run = join(dir, 'Qwen', 'Qwen3-0.6B_h100_sxm_vllm_isl4000_osl1000_ttft2000_tpot30_1');
    await mkdir(join(run, 'agg'), { recursive: true });
    await mkdir(join(run, 'disagg'), { recursive: true });
    await writeFile(join(run, 'agg', 'best_config_topn.csv'), await fixture('agg-best_config_topn.csv'));
    await writeFile(
      join(run, 'disagg', 'best_config_topn.csv'),
      await fixture('disagg-best_config_topn.csv'),
    );
    await writeFile(join(run, 'agg', 'pareto.csv'), 'not,read\n');
    const candidates = await readCandidates(dir);
    expect(candidates.map((c) => c.mode).sort()).toEqual(['aggregated', 'aggregated', 'disaggregated']);
  });
});

describe('support matrix', () => {
  it('reads the engines with data from the matrix the CLI prints', async () => {
    expect(parseSupportMatrix(await fixture('support-h100_sxm.txt'), 'h100_sxm')).toEqual([
      'trtllm',
      'sglang',
      'vllm',
    ]);
  });

  it('"-" and NO are not support; another system is not this one', () => {
    const text = [
      '                trtllm          sglang           vllm    ',
      '  System       agg disagg      agg disagg      agg disagg',
      '  -----------------------   -------------   -------------',
      '  l40s         YES    NO       -      -        NO     NO ',
    ].join('\n');
    expect(parseSupportMatrix(text, 'l40s')).toEqual(['trtllm']);
    expect(parseSupportMatrix(text, 'h100_sxm')).toEqual([]);
    expect(parseSupportMatrix('No valid support-matrix backend version found', 'l4')).toEqual([]);
  });
});

describe('systemForGpu', () => {
  it.each([
    ['H100-80GB', 'h100_sxm'],
    ['NVIDIA-H100-80GB-HBM3', 'h100_sxm'],
    ['NVIDIA-H100-PCIe', 'h100_pcie'],
    ['H200', 'h200_sxm'],
    ['nvidia-a100-sxm4-80gb', 'a100_sxm'],
    ['NVIDIA-A100-PCIE-40GB', 'a100_pcie'],
    ['L40S', 'l40s'],
    ['NVIDIA-B200', 'b200_sxm'],
    ['GB200', 'gb200'],
  ])('%s → %s', (gpu, system) => {
    expect(systemForGpu(gpu)).toBe(system);
  });

  it('a GPU AI Configurator has no system for gets none (never a stand-in)', () => {
    expect(systemForGpu('T4')).toBeUndefined();
    expect(systemForGpu('NVIDIA-H100-NVL')).toBeUndefined();
    expect(systemForGpu('Acme-9000')).toBeUndefined();
  });
});

describe('parseCsv', () => {
  it('quoted fields with commas, quotes and CRLF', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\r\n')).toEqual([{ a: 'x, y', b: 'say "hi"' }]);
  });
});
