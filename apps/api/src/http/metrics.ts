// The API's Prometheus metrics: HTTP requests by route pattern (never the raw path, whose ids
// would make unbounded label values), token and access reviews sent to the apiserver, plus
// the cluster-access metrics of @airunway/kube (client requests, informers, process).
import { createKubeMetrics, type KubeMetrics } from '@airunway/kube';
import { Counter, Histogram } from 'prom-client';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface ApiMetrics {
  readonly kube: KubeMetrics;
  readonly observeRequest: (method: string, route: string, status: number, seconds: number) => void;
  readonly tokenReviewed: (authenticated: boolean) => void;
  readonly accessReviewed: (allowed: boolean) => void;
}

export function createApiMetrics(): ApiMetrics {
  const kube = createKubeMetrics();
  const registers = [kube.registry];
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests served, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: BUCKETS,
    registers,
  });
  const tokenReviews = new Counter({
    name: 'airunway_api_token_reviews_total',
    help: 'TokenReviews sent to the apiserver (cached answers are not counted), by result',
    labelNames: ['result'] as const,
    registers,
  });
  const accessReviews = new Counter({
    name: 'airunway_api_access_reviews_total',
    help: 'SelfSubjectAccessReviews sent to the apiserver (cached answers are not counted), by result',
    labelNames: ['result'] as const,
    registers,
  });
  return {
    kube,
    observeRequest: (method, route, status, seconds) => {
      requests.inc({ method, route, status: String(status) });
      duration.observe({ method, route }, seconds);
    },
    tokenReviewed: (authenticated) => {
      tokenReviews.inc({ result: authenticated ? 'authenticated' : 'rejected' });
    },
    accessReviewed: (allowed) => {
      accessReviews.inc({ result: allowed ? 'allowed' : 'denied' });
    },
  };
}
