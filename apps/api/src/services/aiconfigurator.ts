// AI Configurator: recommended parallelism and batch sizes for a model on a GPU type, from the
// `aiconfigurator` CLI where the API runs (local mode; in a pod there is none). When the CLI
// cannot answer, analyze returns a plain default configuration with `success: false` and the
// reason, so a form can still be filled — never numbers presented as the CLI's.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  AiConfiguratorBackend,
  AiConfiguratorStatus,
  AnalyzeInput,
  AnalyzeResponse,
  NormalizeGpuProductResponse,
} from '@airunway/schema';
import { TtlCache } from '../auth/ttl-cache.js';
import { CliError, parseVersion, runCli } from '../aiconfigurator/cli.js';
import {
  bestCandidate,
  performanceOf,
  readCandidates,
  ResultFormatError,
} from '../aiconfigurator/results.js';
import { KNOWN_SYSTEM_FAMILIES, parseSupportMatrix, systemForGpu } from '../aiconfigurator/systems.js';
import { normalizeGpu } from './gpu-models.js';

export interface AiConfiguratorOptions {
  /** Executables to try, in order (a name is looked up on PATH). */
  readonly commands: readonly string[];
  readonly disabled: boolean;
  readonly inCluster: boolean;
  /** One analysis (default 5 min). */
  readonly timeoutMs?: number;
  /** How long a status answer is kept (default 5 min). */
  readonly statusTtlMs?: number;
}

/** What the analysis assumes the engine may use, passed to the CLI and returned as is. */
const GPU_MEMORY_UTILIZATION = 0.9;
/** The engine AI Runway deploys by default, chosen when AI Configurator has data for it. */
const PREFERRED_BACKENDS: readonly AiConfiguratorBackend[] = ['vllm', 'sglang', 'trtllm'];

type Probe = { status: AiConfiguratorStatus; command?: string };

class AnalysisUnavailable extends Error {}

/** All GPUs as one tensor-parallel group (a power of two, at most 8: what attention heads divide by). */
function defaultConfig(input: AnalyzeInput, error: string, warnings: string[] = []): AnalyzeResponse {
  let tp = 1;
  while (tp * 2 <= Math.min(input.gpuCount, 8)) tp *= 2;
  return {
    success: false,
    config: { tensorParallelDegree: tp, maxBatchSize: 256, gpuMemoryUtilization: 0.9, maxModelLen: 4096 },
    mode: 'aggregated',
    replicas: 1,
    error,
    warnings: ['AI Configurator not available, using default configuration', ...warnings],
  };
}

export class AiConfiguratorService {
  private readonly probes: TtlCache<Probe>;
  private readonly results = new TtlCache<AnalyzeResponse>({ maxEntries: 100 });
  /** One analysis at a time: each keeps a CPU core busy for seconds. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: AiConfiguratorOptions) {
    this.probes = new TtlCache<Probe>({ maxEntries: 1 });
  }

  async status(): Promise<AiConfiguratorStatus> {
    return (await this.probe()).status;
  }

  private async probe(): Promise<Probe> {
    if (this.options.inCluster)
      return {
        status: {
          available: false,
          runningInCluster: true,
          error: 'AI Configurator is only available when running AI Runway locally',
        },
      };
    if (this.options.disabled)
      return {
        status: { available: false, error: 'AI Configurator is disabled (AIRUNWAY_DISABLE_AICONFIGURATOR)' },
      };
    return this.probes.getOrCompute(
      'cli',
      () => this.findCli(),
      () => this.options.statusTtlMs ?? 300_000,
    );
  }

  private async findCli(): Promise<Probe> {
    let lastError = 'AI Configurator CLI not found';
    for (const command of this.options.commands) {
      try {
        const { stdout, stderr } = await runCli(command, ['version'], 30_000);
        const version = parseVersion(`${stdout}\n${stderr}`);
        return { status: { available: true, ...(version ? { version } : {}) }, command };
      } catch (err) {
        if (!(err instanceof CliError)) throw err;
        if (err.reason !== 'not-found') lastError = `AI Configurator CLI does not work: ${err.message}`;
      }
    }
    return { status: { available: false, error: lastError } };
  }

  normalizeGpu(gpuProduct: string): NormalizeGpuProductResponse {
    return { gpuProduct, normalized: normalizeGpu(gpuProduct).model };
  }

  async analyze(input: AnalyzeInput): Promise<AnalyzeResponse> {
    const probe = await this.probe();
    if (!probe.command) return defaultConfig(input, probe.status.error ?? 'AI Configurator CLI not found');
    const command = probe.command;
    const system = systemForGpu(input.gpuType);
    if (!system)
      return defaultConfig(
        input,
        `AI Configurator has no system for GPU type "${input.gpuType}" (known: ${KNOWN_SYSTEM_FAMILIES.join(', ')})`,
      );
    const key = JSON.stringify([
      input.modelId,
      system,
      input.gpuCount,
      input.optimizeFor,
      input.maxLatencyMs,
    ]);
    try {
      return await this.results.getOrCompute(
        key,
        () => this.serially(() => this.run(command, system, input)),
        () => 600_000,
      );
    } catch (err) {
      if (err instanceof CliError || err instanceof ResultFormatError || err instanceof AnalysisUnavailable)
        return defaultConfig(input, err.message);
      throw err;
    }
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(command: string, system: string, input: AnalyzeInput): Promise<AnalyzeResponse> {
    const timeoutMs = this.options.timeoutMs ?? 300_000;
    const support = await runCli(
      command,
      ['cli', 'support', '--model', input.modelId, '--system', system, '--backend', 'all'],
      timeoutMs,
    );
    const supportedBackends = parseSupportMatrix(support.stdout, system);
    const backend = PREFERRED_BACKENDS.find((b) => supportedBackends.includes(b));
    if (!backend)
      throw new AnalysisUnavailable(
        `AI Configurator has no performance data for ${input.modelId} on ${system}`,
      );

    const saveDir = await mkdtemp(join(tmpdir(), 'airunway-aiconfigurator-'));
    try {
      const args = [
        'cli',
        'default',
        '--model',
        input.modelId,
        '--system',
        system,
        '--backend',
        backend,
        '--total-gpus',
        String(input.gpuCount),
        '--free-gpu-memory-fraction',
        String(GPU_MEMORY_UTILIZATION),
        '--save-dir',
        saveDir,
        '--no-color',
        ...(input.maxLatencyMs !== undefined ? ['--ttft', String(input.maxLatencyMs)] : []),
      ];
      await runCli(command, args, timeoutMs);
      const candidates = await readCandidates(saveDir);
      const best = bestCandidate(candidates, input.optimizeFor);
      if (!best)
        throw new AnalysisUnavailable(
          `AI Configurator found no configuration of ${input.modelId} on ${input.gpuCount} × ${system}` +
            (input.maxLatencyMs !== undefined ? ` within ${input.maxLatencyMs} ms to first token` : ''),
        );
      const replicas = Math.max(1, Math.floor(input.gpuCount / best.gpusPerReplica));
      const warnings: string[] = [
        `Modelled by AI Configurator (${best.backend} ${best.backendVersion} performance data for ${system}), not measured`,
      ];
      const idle = input.gpuCount - replicas * best.gpusPerReplica;
      if (idle > 0)
        warnings.push(`${idle} of ${input.gpuCount} GPU(s) are left unused by ${replicas} replica(s)`);
      if (input.gpuCount < 2)
        warnings.push('Disaggregated serving needs at least 2 GPUs: only aggregated was analyzed');
      return {
        success: true,
        config: { ...best.config, gpuMemoryUtilization: GPU_MEMORY_UTILIZATION },
        mode: best.mode,
        replicas,
        warnings,
        estimatedPerformance: performanceOf(best, replicas),
        backend,
        supportedBackends,
        system,
      };
    } finally {
      await rm(saveDir, { recursive: true, force: true });
    }
  }
}
