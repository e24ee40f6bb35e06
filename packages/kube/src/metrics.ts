// Prometheus metrics for the controller runtime, named as client-go and controller-runtime
// name theirs (workqueue_*, controller_runtime_reconcile_*, rest_client_*,
// leader_election_master_status), so existing dashboards and alerts apply. The components
// only call hooks (WorkQueueMetrics, ControllerMetrics, observers); this module is the one
// place that knows prom-client, and the operator wires it.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestInfo } from './client.js';
import type { ControllerMetrics } from './controller.js';
import type { EventRecorderOptions } from './events.js';
import type { Informer, InformerSignal } from './informer.js';
import type { KubeObject } from './objects.js';
import type { WorkQueue, WorkQueueMetrics } from './work-queue.js';

const RECONCILE_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 7.5, 10, 15, 20, 30, 45, 60,
];
const QUEUE_BUCKETS = [0.0001, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];

export interface KubeMetricsOptions {
  /** Default: a new Registry. */
  readonly registry?: Registry;
  /** Also collect Node.js process metrics (default true). */
  readonly processMetrics?: boolean;
}

export interface KubeMetrics {
  readonly registry: Registry;
  /** Hooks for a WorkQueue named `name` (pass as WorkQueueOptions.metrics / ControllerOptions.queueMetrics). */
  workQueue(name: string): WorkQueueMetrics;
  /** Gauges read from the queue at scrape time (unfinished work, longest running). */
  trackQueue(queue: WorkQueue): void;
  /** Hooks for a Controller named `name`. */
  controller(name: string): ControllerMetrics;
  /** KubeClientOptions.observer */
  readonly requestObserver: (info: RequestInfo) => void;
  /** InformerOptions.observer */
  readonly informerObserver: (signal: InformerSignal) => void;
  /** kube_informer_synced{informer} read at scrape time. */
  trackInformer(informer: Informer<KubeObject>): void;
  /** leader_election_master_status{name} read at scrape time. */
  trackLeader(name: string, elector: { isLeader(): boolean }): void;
  /** EventRecorderOptions.observer */
  readonly eventObserver: NonNullable<EventRecorderOptions['observer']>;
}

export function createKubeMetrics(options: KubeMetricsOptions = {}): KubeMetrics {
  const registry = options.registry ?? new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  // --- work queue (client-go names) ---
  const depth = new Gauge({
    name: 'workqueue_depth',
    help: 'Current depth of workqueue',
    labelNames: ['name'],
    registers,
  });
  const adds = new Counter({
    name: 'workqueue_adds_total',
    help: 'Total number of adds handled by workqueue',
    labelNames: ['name'],
    registers,
  });
  const queueLatency = new Histogram({
    name: 'workqueue_queue_duration_seconds',
    help: 'How long in seconds an item stays in workqueue before being requested',
    labelNames: ['name'],
    buckets: QUEUE_BUCKETS,
    registers,
  });
  const workDuration = new Histogram({
    name: 'workqueue_work_duration_seconds',
    help: 'How long in seconds processing an item from workqueue takes',
    labelNames: ['name'],
    buckets: QUEUE_BUCKETS,
    registers,
  });
  const retries = new Counter({
    name: 'workqueue_retries_total',
    help: 'Total number of retries handled by workqueue',
    labelNames: ['name'],
    registers,
  });
  const queues = new Set<WorkQueue>();
  new Gauge({
    name: 'workqueue_unfinished_work_seconds',
    help: 'How many seconds of work has been done that is in progress and has not been observed by work_duration',
    labelNames: ['name'],
    registers,
    collect() {
      this.reset();
      for (const q of queues) this.set({ name: q.name }, q.unfinishedWorkMs() / 1000);
    },
  });
  new Gauge({
    name: 'workqueue_longest_running_processor_seconds',
    help: 'How many seconds has the longest running processor for workqueue been running',
    labelNames: ['name'],
    registers,
    collect() {
      this.reset();
      for (const q of queues) this.set({ name: q.name }, q.longestRunningMs() / 1000);
    },
  });

  // --- controller (controller-runtime names; errors also by reason) ---
  const reconcileTotal = new Counter({
    name: 'controller_runtime_reconcile_total',
    help: 'Total number of reconciliations per controller',
    labelNames: ['controller', 'result'],
    registers,
  });
  const reconcileErrors = new Counter({
    name: 'controller_runtime_reconcile_errors_total',
    help: 'Total number of reconciliation errors per controller, by error reason (Kubernetes Status reason or error class)',
    labelNames: ['controller', 'reason'],
    registers,
  });
  const reconcileTime = new Histogram({
    name: 'controller_runtime_reconcile_time_seconds',
    help: 'Length of time per reconciliation per controller',
    labelNames: ['controller'],
    buckets: RECONCILE_BUCKETS,
    registers,
  });
  const activeWorkers = new Gauge({
    name: 'controller_runtime_active_workers',
    help: 'Number of currently used workers per controller',
    labelNames: ['controller'],
    registers,
  });

  // --- REST client ---
  const requests = new Counter({
    name: 'rest_client_requests_total',
    help: 'Number of HTTP requests, partitioned by status code, method, verb and user agent (code 0: no response)',
    labelNames: ['code', 'method', 'verb', 'user_agent'],
    registers,
  });
  const requestDuration = new Histogram({
    name: 'rest_client_request_duration_seconds',
    help: 'Request latency in seconds, by verb (watch: until response headers)',
    labelNames: ['verb'],
    buckets: REQUEST_BUCKETS,
    registers,
  });

  // --- informers ---
  const informerLists = new Counter({
    name: 'kube_informer_lists_total',
    help: 'Completed lists (initial and relists) per informer',
    labelNames: ['informer'],
    registers,
  });
  const informerRestarts = new Counter({
    name: 'kube_informer_watch_restarts_total',
    help: 'Watches that ended and were re-established, by reason (closed, inactivity, gone, error)',
    labelNames: ['informer', 'reason'],
    registers,
  });
  const informerEvents = new Counter({
    name: 'kube_informer_events_total',
    help: 'Watch events received, by type',
    labelNames: ['informer', 'type'],
    registers,
  });
  const handlerErrors = new Counter({
    name: 'kube_informer_handler_errors_total',
    help: 'Event handler failures',
    labelNames: ['informer'],
    registers,
  });
  const informers = new Set<Informer<KubeObject>>();
  new Gauge({
    name: 'kube_informer_synced',
    help: '1 when the informer has completed its first list',
    labelNames: ['informer'],
    registers,
    collect() {
      this.reset();
      for (const i of informers)
        if (!i.status().stopped) this.set({ informer: i.name }, i.hasSynced() ? 1 : 0);
    },
  });

  // --- leader election ---
  const leaders = new Map<string, { isLeader(): boolean }>();
  new Gauge({
    name: 'leader_election_master_status',
    help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master',
    labelNames: ['name'],
    registers,
    collect() {
      this.reset();
      for (const [name, e] of leaders) this.set({ name }, e.isLeader() ? 1 : 0);
    },
  });

  // --- events ---
  const eventsRecorded = new Counter({
    name: 'kube_events_recorded_total',
    help: 'Kubernetes Events by outcome (created, series-updated, aggregated, dropped, failed)',
    labelNames: ['outcome'],
    registers,
  });

  return {
    registry,
    workQueue: (name) => ({
      added: () => {
        adds.inc({ name });
      },
      depth: (n) => {
        depth.set({ name }, n);
      },
      queueLatency: (ms) => {
        queueLatency.observe({ name }, ms / 1000);
      },
      workDuration: (ms) => {
        workDuration.observe({ name }, ms / 1000);
      },
      retried: () => {
        retries.inc({ name });
      },
    }),
    trackQueue: (queue) => {
      queues.add(queue);
    },
    controller: (controller) => ({
      reconciled: (result, ms) => {
        reconcileTotal.inc({ controller, result });
        reconcileTime.observe({ controller }, ms / 1000);
      },
      reconcileError: (reason) => {
        reconcileErrors.inc({ controller, reason });
      },
      activeWorkers: (delta) => {
        activeWorkers.inc({ controller }, delta);
      },
    }),
    requestObserver: (info) => {
      requests.inc({
        code: String(info.status),
        method: info.method,
        verb: info.verb,
        user_agent: info.userAgent,
      });
      requestDuration.observe({ verb: info.verb }, info.durationMs / 1000);
    },
    informerObserver: (signal) => {
      switch (signal.kind) {
        case 'list':
          informerLists.inc({ informer: signal.informer });
          break;
        case 'watch-ended':
          informerRestarts.inc({ informer: signal.informer, reason: signal.reason });
          break;
        case 'event':
          informerEvents.inc({ informer: signal.informer, type: signal.type });
          break;
        case 'handler-error':
          handlerErrors.inc({ informer: signal.informer });
          break;
      }
    },
    trackInformer: (informer) => {
      informers.add(informer);
    },
    trackLeader: (name, elector) => {
      leaders.set(name, elector);
    },
    eventObserver: (outcome) => {
      eventsRecorded.inc({ outcome });
    },
  };
}
