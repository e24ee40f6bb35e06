#!/usr/bin/env node
// Entry point: `npm run operator` (against the current kubeconfig) or the container's command
// (in-cluster, with its service account).
import { createLogger, loadClusterConnection } from '@airunway/kube';
import { parseConfig } from './env.js';
import { startOperator } from './operator.js';
import { USER_AGENT } from './constants.js';

const config = parseConfig(process.argv.slice(2), process.env);
const logger = createLogger({ level: config.logLevel, name: 'operator' });
const connection = loadClusterConnection(config.kubeconfig ? { kubeconfigPath: config.kubeconfig } : {});

const operator = await startOperator({
  connection,
  logger,
  namespace: config.namespace,
  workers: config.workers,
  gateway: config.gateway,
  healthPort: config.healthPort,
  // The identity in the user agent tells replicas apart in audit logs.
  userAgent: `${USER_AGENT} (${config.identity})`,
  ...(config.leaderElect
    ? {
        leaderElection: {
          namespace: config.leaderElectionNamespace,
          name: config.leaseName,
          identity: config.identity,
        },
      }
    : {}),
});
logger.info('operator started', { health: operator.health.url, identity: config.identity });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info('stopping', { signal });
    void operator.stop().then(() => process.exit(0));
  });
}
