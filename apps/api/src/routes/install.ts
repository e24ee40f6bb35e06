// /installation/*: Helm status, Gateway API and Inference Extension CRDs, provider operators and
// the NVIDIA GPU Operator. Installs and uninstalls answer JSON, or NDJSON progress with
// `Accept: application/x-ndjson` (see http/operation-response.ts).
import { ProviderIdParamsSchema } from '@airunway/schema';
import { Hono } from 'hono';
import { callerOf, type AppEnv } from '../http/context.js';
import { respondWithOperation } from '../http/operation-response.js';
import { validate } from '../http/validate.js';
import type { Services } from '../services/index.js';

export function installRoutes(services: Services) {
  const { installation } = services;
  const provider = validate('param', ProviderIdParamsSchema);
  return new Hono<AppEnv>()
    .get('/installation/helm/status', async (c) => c.json(await installation.helmStatus(callerOf(c))))
    .get('/installation/gateway/status', async (c) => c.json(await installation.gatewayStatus(callerOf(c))))
    .post('/installation/gateway/install-crds', async (c) =>
      respondWithOperation(c, await installation.installGatewayCrds(callerOf(c))),
    )
    .get('/installation/permissions', async (c) => c.json(await installation.permissions(callerOf(c))))
    .get('/installation/providers/:id/status', provider, async (c) =>
      c.json(await installation.providerStatus(callerOf(c), c.req.valid('param').id)),
    )
    .get('/installation/providers/:id/commands', provider, (c) =>
      c.json(installation.providerCommands(callerOf(c), c.req.valid('param').id)),
    )
    .post('/installation/providers/:id/install', provider, async (c) =>
      respondWithOperation(c, await installation.installProvider(callerOf(c), c.req.valid('param').id)),
    )
    .post('/installation/providers/:id/uninstall', provider, async (c) =>
      respondWithOperation(c, await installation.uninstallProvider(callerOf(c), c.req.valid('param').id)),
    )
    .post('/installation/providers/:id/uninstall-crds', provider, async (c) =>
      respondWithOperation(c, await installation.uninstallProviderCrds(callerOf(c), c.req.valid('param').id)),
    )
    .get('/installation/gpu-operator/status', async (c) =>
      c.json(await installation.gpuOperatorStatus(callerOf(c))),
    )
    .post('/installation/gpu-operator/install', async (c) =>
      respondWithOperation(c, await installation.installGpuOperator(callerOf(c))),
    );
}
