#!/usr/bin/env node
// Entry point: the only file that binds a port. `npm run dev -w @airunway/api` against the
// current kubeconfig, or the container's command (in-cluster, with its service account).
import { serve } from '@hono/node-server';
import { createLogger, loadClusterConnection } from '@airunway/kube';
import { parseEnv } from './env.js';
import { createApiRuntime } from './runtime.js';

const config = parseEnv(process.env);
const logger = createLogger({ level: config.logLevel, name: 'api' });
const connection = loadClusterConnection({
  ...(config.kubeconfig ? { kubeconfigPath: config.kubeconfig } : {}),
  ...(config.kubeContext ? { context: config.kubeContext } : {}),
});
const runtime = createApiRuntime({ connection, config, logger });
runtime.start();

const server = serve({ fetch: runtime.app.fetch, port: config.port, hostname: config.host }, (info) => {
  logger.info('listening', {
    address: info.address,
    port: info.port,
    cluster: connection.source,
    authEnabled: config.authEnabled,
    productNamespace: config.productNamespace,
  });
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info('stopping', { signal });
    server.close();
    void runtime.stop().then(() => process.exit(0));
  });
}
