// Assembles the operator: watch caches shared by every replica, leader election, and — on
// the leader only — a controller that reconciles ModelDeployments. Followers keep their
// caches warm so a takeover starts reconciling at once. Used by main.ts and by the tests.
import {
  Controller,
  EventRecorder,
  KubeClient,
  LeaderElector,
  controllerOwnerKey,
  createKubeMetrics,
  informersSyncedCheck,
  startHealthServer,
  type ClusterConnection,
  type HealthServer,
  type Logger,
} from '@airunway/kube';
import { MODEL_DEPLOYMENT_KIND, API_GROUP } from '@airunway/schema';
import type { GatewayRef } from '@airunway/providers';
import { Gauge } from 'prom-client';
import { createCaches, modelDeploymentKeyOf, type OperatorCaches } from './caches.js';
import { USER_AGENT } from './constants.js';
import { createReconciler } from './reconciler.js';

export interface OperatorOptions {
  readonly connection: ClusterConnection;
  readonly logger: Logger;
  readonly namespace?: string | undefined;
  readonly workers?: number;
  /** Omit to run without leader election (a single replica). */
  readonly leaderElection?: { readonly namespace: string; readonly name: string; readonly identity: string };
  /** 0 = any free port. */
  readonly healthPort?: number;
  readonly userAgent?: string;
  /** The Gateway to route models through; unset = chosen among the cluster's Gateways. */
  readonly gateway?: GatewayRef | undefined;
}

export interface RunningOperator {
  readonly caches: OperatorCaches;
  readonly health: HealthServer;
  isLeader(): boolean;
  stop(): Promise<void>;
}

export async function startOperator(options: OperatorOptions): Promise<RunningOperator> {
  const { logger } = options;
  const metrics = createKubeMetrics();
  const baseClient = new KubeClient({
    connection: options.connection,
    userAgent: options.userAgent ?? USER_AGENT,
    logger,
    observer: metrics.requestObserver,
  });
  const caches = createCaches(baseClient, {
    namespace: options.namespace,
    logger,
    observer: metrics.informerObserver,
  });
  for (const informer of caches.all) metrics.trackInformer(informer);

  // Deployments by phase and provider, read at scrape time from the status the operator wrote.
  new Gauge({
    name: 'airunway_model_deployments',
    help: 'ModelDeployments by phase and provider',
    labelNames: ['phase', 'provider'] as const,
    registers: [metrics.registry],
    collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const md of caches.modelDeployments.list()) {
        const key = `${md.status?.phase ?? 'Pending'}\u0000${md.status?.provider?.name ?? ''}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      for (const [key, n] of counts) {
        const [phase = '', provider = ''] = key.split('\u0000');
        this.set({ phase, provider }, n);
      }
    },
  });

  const elector = options.leaderElection
    ? new LeaderElector({
        client: baseClient,
        ...options.leaderElection,
        logger,
        onStartedLeading: (signal) => runController(signal),
      })
    : undefined;
  if (elector) metrics.trackLeader('airunway-operator', elector);
  // Every write goes through the gate: a replica that lost the lease cannot write at all.
  const client = baseClient.withWriteGate(elector);
  const events = new EventRecorder({
    client,
    reportingController: 'airunway.ai/operator',
    reportingInstance: options.leaderElection?.identity ?? 'airunway-operator',
    logger,
    observer: metrics.eventObserver,
  });

  async function runController(signal: AbortSignal): Promise<void> {
    const controller = new Controller({
      name: 'modeldeployment',
      workers: options.workers ?? 4,
      logger,
      metrics: metrics.controller('modeldeployment'),
      queueMetrics: metrics.workQueue('modeldeployment'),
      reconcile: createReconciler({ client, caches, events, gateway: options.gateway }),
    });
    metrics.trackQueue(controller.queue);
    controller.watch(caches.modelDeployments);
    const toOwner = controllerOwnerKey(MODEL_DEPLOYMENT_KIND, API_GROUP);
    // Kinds whose CRD is installed later are watched from the moment their informer starts.
    const unwatchChildren = caches.children.onEach((informer) => controller.watch(informer, toOwner));
    signal.addEventListener('abort', unwatchChildren, { once: true });
    controller.watch(caches.pods, modelDeploymentKeyOf);
    controller.watch(caches.replicaSets, modelDeploymentKeyOf);
    // A provider installed or removed can change what every ModelDeployment should use.
    const everyModelDeployment = () => caches.modelDeployments.keys();
    controller.watch(caches.crds, everyModelDeployment);
    for (const informer of caches.providerOperatorPods) controller.watch(informer, everyModelDeployment);
    // A Gateway added, labelled or given an address changes the routing of every model.
    const unwatchGateways = caches.onGatewayInformer((informer) =>
      controller.watch(informer, everyModelDeployment),
    );
    signal.addEventListener('abort', unwatchGateways, { once: true });
    logger.info('leading: reconciling ModelDeployments');
    await controller.run(signal);
  }

  caches.start();
  const health = await startHealthServer({
    port: options.healthPort ?? 8081,
    registry: metrics.registry,
    readiness: [informersSyncedCheck(caches.all)],
    logger,
  });

  const stopController = new AbortController();
  const running = elector ? elector.run() : runController(stopController.signal);
  running.catch((err: unknown) => {
    logger.error('operator stopped unexpectedly', { err });
  });

  return {
    caches,
    health,
    isLeader: () => elector?.isLeader() ?? true,
    async stop() {
      stopController.abort();
      await elector?.stop();
      await running.catch(() => undefined);
      await caches.stop();
      await health.close();
      await baseClient.close();
    },
  };
}
