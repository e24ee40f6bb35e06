// AI Configurator's answer, read from the files `aiconfigurator cli default --save-dir DIR`
// writes: DIR/<model>_<system>_<backend>_…/{agg,disagg}/best_config_topn.csv, one ranked row per
// candidate. An aggregated row describes one replica (tp, pp, bs); a disaggregated row one
// replica of prefill and decode workers (the (p)… and (d)… columns). Both give modelled time to
// first token, time per output token and tokens/s.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AiConfiguratorBackend, EstimatedPerformance, InferenceConfig } from '@airunway/schema';
import { parseCsv, type CsvRow } from './csv.js';

export const RESULT_FILE = 'best_config_topn.csv';

export interface Candidate {
  readonly mode: 'aggregated' | 'disaggregated';
  /** GPUs of one replica. */
  readonly gpusPerReplica: number;
  readonly tokensPerSecPerGpu: number;
  /** Output tokens/s of one replica. */
  readonly tokensPerSec: number;
  readonly tokensPerSecPerUser: number;
  readonly ttftMs: number;
  readonly tpotMs: number;
  readonly requestLatencyMs: number;
  readonly backend: string;
  readonly backendVersion: string;
  readonly config: Omit<InferenceConfig, 'gpuMemoryUtilization'>;
}

export class ResultFormatError extends Error {
  override readonly name = 'ResultFormatError';
}

function num(row: CsvRow, column: string, file: string): number {
  const raw = row[column];
  const value = raw === undefined || raw === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value))
    throw new ResultFormatError(`${file}: column "${column}" is missing or not a number`);
  return value;
}

const int = (row: CsvRow, column: string, file: string) => Math.max(1, Math.round(num(row, column, file)));

function aggregated(row: CsvRow, file: string): Candidate {
  return {
    mode: 'aggregated',
    gpusPerReplica: int(row, 'num_total_gpus', file),
    tokensPerSecPerGpu: num(row, 'tokens/s/gpu_cluster', file),
    tokensPerSec: num(row, 'tokens/s', file),
    tokensPerSecPerUser: num(row, 'tokens/s/user', file),
    ttftMs: num(row, 'ttft', file),
    tpotMs: num(row, 'tpot', file),
    requestLatencyMs: num(row, 'request_latency', file),
    backend: row.backend ?? '',
    backendVersion: row.version ?? '',
    config: {
      tensorParallelDegree: int(row, 'tp', file),
      pipelineParallelDegree: int(row, 'pp', file),
      maxBatchSize: int(row, 'bs', file),
      maxNumSeqs: int(row, 'concurrency', file),
      maxModelLen: int(row, 'isl', file) + int(row, 'osl', file),
    },
  };
}

function disaggregated(row: CsvRow, file: string): Candidate {
  return {
    mode: 'disaggregated',
    gpusPerReplica: int(row, 'num_total_gpus', file),
    tokensPerSecPerGpu: num(row, 'tokens/s/gpu_cluster', file),
    tokensPerSec: num(row, 'tokens/s', file),
    tokensPerSecPerUser: num(row, 'tokens/s/user', file),
    ttftMs: num(row, 'ttft', file),
    tpotMs: num(row, 'tpot', file),
    requestLatencyMs: num(row, 'request_latency', file),
    backend: row['(d)backend'] ?? '',
    backendVersion: row['(d)version'] ?? '',
    config: {
      // Decode workers hold the sequences: their shape is the one the serving engine is sized by.
      tensorParallelDegree: int(row, '(d)tp', file),
      pipelineParallelDegree: int(row, '(d)pp', file),
      maxBatchSize: int(row, '(d)bs', file),
      maxNumSeqs: int(row, 'concurrency', file),
      maxModelLen: int(row, 'isl', file) + int(row, 'osl', file),
      prefillTensorParallel: int(row, '(p)tp', file),
      decodeTensorParallel: int(row, '(d)tp', file),
      prefillReplicas: int(row, '(p)workers', file),
      decodeReplicas: int(row, '(d)workers', file),
    },
  };
}

/** The rows of one result file. */
export function parseResultFile(text: string, mode: 'agg' | 'disagg', file = RESULT_FILE): Candidate[] {
  return parseCsv(text).map((row) => (mode === 'agg' ? aggregated(row, file) : disaggregated(row, file)));
}

async function findResultFiles(dir: string): Promise<{ path: string; mode: 'agg' | 'disagg' }[]> {
  const found: { path: string; mode: 'agg' | 'disagg' }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name !== RESULT_FILE) continue;
    const parent = entry.parentPath;
    const mode = parent.split(/[\\/]/).pop();
    if (mode === 'agg' || mode === 'disagg') found.push({ path: join(parent, entry.name), mode });
  }
  return found;
}

/** Every candidate the run saved under `dir`. */
export async function readCandidates(dir: string): Promise<Candidate[]> {
  const files = await findResultFiles(dir);
  const candidates: Candidate[] = [];
  for (const { path, mode } of files)
    candidates.push(...parseResultFile(await readFile(path, 'utf8'), mode, `${mode}/${RESULT_FILE}`));
  return candidates;
}

/** Throughput: the most tokens/s per GPU; latency: the shortest time to first token. */
export function bestCandidate(
  candidates: readonly Candidate[],
  optimizeFor: 'throughput' | 'latency',
): Candidate | undefined {
  const better = (a: Candidate, b: Candidate) =>
    optimizeFor === 'latency'
      ? a.ttftMs < b.ttftMs || (a.ttftMs === b.ttftMs && a.tokensPerSecPerGpu > b.tokensPerSecPerGpu)
      : a.tokensPerSecPerGpu > b.tokensPerSecPerGpu;
  return candidates.reduce<Candidate | undefined>(
    (best, c) => (!best || better(c, best) ? c : best),
    undefined,
  );
}

export function performanceOf(candidate: Candidate, replicas: number): EstimatedPerformance {
  const r2 = (v: number) => Math.round(v * 100) / 100;
  return {
    throughputTokensPerSec: r2(candidate.tokensPerSec * replicas),
    latencyP50Ms: r2(candidate.ttftMs),
    tokensPerSecPerUser: r2(candidate.tokensPerSecPerUser),
    timePerOutputTokenMs: r2(candidate.tpotMs),
    requestLatencyMs: r2(candidate.requestLatencyMs),
  };
}

export function isBackend(name: string): name is AiConfiguratorBackend {
  return name === 'vllm' || name === 'sglang' || name === 'trtllm';
}
