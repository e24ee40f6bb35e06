// Engine metrics of a deployment, scraped from every running model server pod (not one pod
// behind a Service): vLLM (`vllm:`), llama.cpp (`llamacpp:`), SGLang (`sglang:`) and Dynamo
// (`dynamo_`) families, each sample labelled with its pod. Inside the cluster the pods are
// fetched directly; outside, through the apiserver's pod proxy with the caller's token. Either
// way the caller must be allowed `get pods/proxy`, as kubectl would require, and one answer is
// shared for a few seconds, however many dashboards ask.
import type { EngineType, MetricSample, MetricsResponse } from '@airunway/schema';
import type { Caller } from '../../auth/caller.js';
import { TtlCache } from '../../auth/ttl-cache.js';
import type { DeploymentPod } from '../../cache/deployment-pods.js';
import type { ModelDeploymentObject } from '../../cache/objects.js';
import { requestText } from '../../cluster/stream.js';
import { parsePrometheusText } from './prometheus.js';
import type { DeploymentService } from './service.js';

export const OFF_CLUSTER_ERROR =
  'Metrics are only available when AI Runway is deployed inside the Kubernetes cluster.';

const ENGINE_PREFIXES: readonly (readonly [string, EngineType | undefined])[] = [
  ['vllm:', 'vllm'],
  ['llamacpp:', 'llamacpp'],
  ['sglang:', 'sglang'],
  ['trtllm_', 'trtllm'],
  ['dynamo_', undefined],
];

const DEFAULT_PORT = 8000;
const PREFERRED_PORT_NAMES = ['metrics', 'http'];

/** The pod port serving /metrics: a port named metrics or http, the endpoint's port if declared, the first, else 8000. */
export function metricsPort(pod: DeploymentPod, endpointPort: number | undefined): number {
  const ports = pod.spec.containers.flatMap((c) => c.ports);
  for (const name of PREFERRED_PORT_NAMES) {
    const named = ports.find((p) => p.name === name);
    if (named) return named.containerPort;
  }
  return (
    ports.find((p) => p.containerPort === endpointPort)?.containerPort ??
    ports[0]?.containerPort ??
    DEFAULT_PORT
  );
}

interface Scrape {
  readonly pod: string;
  readonly samples?: MetricSample[];
  readonly error?: string;
}

export interface MetricsServiceOptions {
  readonly deployments: DeploymentService;
  /** Whether pod IPs are reachable from this process (it runs in the cluster). */
  readonly inCluster: boolean;
  /** Per pod (default 5 s). */
  readonly timeoutMs?: number;
  /** How long one answer is reused (default 5 s). */
  readonly ttlMs?: number;
  readonly now?: () => Date;
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message;
}

export class MetricsService {
  private readonly cache = new TtlCache<MetricsResponse>({ maxEntries: 1_000 });

  constructor(private readonly options: MetricsServiceOptions) {}

  private async scrape(caller: Caller, pod: DeploymentPod, port: number): Promise<string> {
    const timeoutMs = this.options.timeoutMs ?? 5_000;
    const ip = pod.status.podIP ?? '';
    if (this.options.inCluster) {
      const host = ip.includes(':') ? `[${ip}]` : ip;
      const response = await fetch(`http://${host}:${port}/metrics`, {
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status} from ${host}:${port}/metrics`);
      return response.text();
    }
    const namespace = encodeURIComponent(pod.metadata.namespace ?? '');
    const name = encodeURIComponent(pod.metadata.name ?? '');
    return requestText(
      caller.kube,
      { path: `/api/v1/namespaces/${namespace}/pods/${name}:${port}/proxy/metrics`, verb: 'get' },
      timeoutMs,
    );
  }

  private async scrapeAll(
    caller: Caller,
    md: ModelDeploymentObject,
    pods: readonly DeploymentPod[],
  ): Promise<MetricsResponse> {
    const now = (this.options.now ?? (() => new Date()))().toISOString();
    const endpointPort = md.status?.endpoint?.port;
    const running = pods.filter(
      (p) => p.status.phase === 'Running' && p.status.podIP && !p.metadata.deletionTimestamp,
    );
    if (running.length === 0)
      return {
        available: false,
        timestamp: now,
        metrics: [],
        error: 'No running pods to read metrics from',
        pods: [],
      };
    const scrapes = await Promise.all(
      running.map(async (pod): Promise<Scrape> => {
        const name = pod.metadata.name ?? '';
        try {
          const text = await this.scrape(caller, pod, metricsPort(pod, endpointPort));
          const samples = parsePrometheusText(text)
            .filter((s) => ENGINE_PREFIXES.some(([prefix]) => s.name.startsWith(prefix)))
            .map((s) => ({ ...s, labels: { ...s.labels, pod: name } }));
          return { pod: name, samples };
        } catch (err) {
          return { pod: name, error: describe(err) };
        }
      }),
    );
    const metrics = scrapes.flatMap((s) => s.samples ?? []);
    const engine = ENGINE_PREFIXES.find(([prefix]) => metrics.some((m) => m.name.startsWith(prefix)))?.[1];
    const podResults = scrapes.map((s) => ({
      name: s.pod,
      available: s.samples !== undefined,
      ...(s.error ? { error: s.error } : {}),
    }));
    const available = scrapes.some((s) => s.samples !== undefined);
    const firstError = scrapes.find((s) => s.error)?.error;
    if (!available && !this.options.inCluster)
      return {
        available: false,
        error: `${OFF_CLUSTER_ERROR} The apiserver could not reach the pods: ${firstError ?? 'no answer'}`,
        timestamp: now,
        metrics: [],
        runningOffCluster: true,
        pods: podResults,
      };
    return {
      available,
      timestamp: now,
      metrics,
      ...(available ? {} : { error: firstError ?? 'No pod answered' }),
      ...(engine ? { engine } : {}),
      runningOffCluster: !this.options.inCluster,
      pods: podResults,
    };
  }

  async metrics(caller: Caller, namespace: string, name: string): Promise<MetricsResponse> {
    const md = await this.options.deployments.find(caller, namespace, name);
    await caller.authorize({ verb: 'get', resource: 'pods', subresource: 'proxy', namespace });
    const pods = await this.options.deployments.podsOf(caller, namespace, name);
    return this.cache.getOrCompute(
      `${namespace}/${name}`,
      () => this.scrapeAll(caller, md, pods),
      () => this.options.ttlMs ?? 5_000,
    );
  }
}
