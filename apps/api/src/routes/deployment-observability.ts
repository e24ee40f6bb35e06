// What a deployment is doing: /pods, /logs (followed as Server-Sent Events with follow=true),
// /metrics, /pending-reasons, /events and /manifest. The namespace defaults to the settings' default.
import { DeploymentParamsSchema, LogsQuerySchema, NamespaceQuerySchema } from '@airunway/schema';
import { Hono, type Context } from 'hono';
import type { Caller } from '../auth/caller.js';
import { callerOf, type AppEnv } from '../http/context.js';
import { sse, type SseEvent, type SseOptions } from '../http/sse.js';
import { validate } from '../http/validate.js';
import type { Services } from '../services/index.js';

type Target = { caller: Caller; namespace: string; name: string };

export function deploymentObservabilityRoutes(services: Services, streaming: SseOptions) {
  const target = (c: Context<AppEnv>, namespace: string | undefined, name: string): Target => ({
    caller: callerOf(c),
    namespace: services.deployments.namespaceOr(namespace),
    name,
  });
  const param = validate('param', DeploymentParamsSchema);
  const namespaceQuery = validate('query', NamespaceQuerySchema);

  return new Hono<AppEnv>()
    .get('/deployments/:name/pods', param, namespaceQuery, async (c) => {
      const t = target(c, c.req.valid('query').namespace, c.req.valid('param').name);
      return c.json(await services.deployments.pods(t.caller, t.namespace, t.name));
    })
    .get('/deployments/:name/metrics', param, namespaceQuery, async (c) => {
      const t = target(c, c.req.valid('query').namespace, c.req.valid('param').name);
      return c.json(await services.metrics.metrics(t.caller, t.namespace, t.name));
    })
    .get('/deployments/:name/pending-reasons', param, namespaceQuery, async (c) => {
      const t = target(c, c.req.valid('query').namespace, c.req.valid('param').name);
      return c.json(await services.pendingReasons.reasons(t.caller, t.namespace, t.name));
    })
    .get('/deployments/:name/events', param, namespaceQuery, async (c) => {
      const t = target(c, c.req.valid('query').namespace, c.req.valid('param').name);
      return c.json(await services.deploymentEvents.events(t.caller, t.namespace, t.name));
    })
    .get('/deployments/:name/manifest', param, namespaceQuery, async (c) => {
      const t = target(c, c.req.valid('query').namespace, c.req.valid('param').name);
      return c.json(await services.manifests.manifest(t.caller, t.namespace, t.name));
    })
    .get('/deployments/:name/logs', param, validate('query', LogsQuerySchema), async (c) => {
      const query = c.req.valid('query');
      const { caller, namespace, name } = target(c, query.namespace, c.req.valid('param').name);
      if (!query.follow) return c.json(await services.logs.logs(caller, namespace, name, query));
      // Opened before the stream: a missing pod or a refusal is a plain HTTP error.
      const opened = new AbortController();
      const followed = await services.logs.follow(caller, namespace, name, query, opened.signal);
      return sse(
        c,
        (signal) => {
          signal.addEventListener('abort', () => {
            opened.abort();
          });
          return (async function* (): AsyncGenerator<SseEvent> {
            if (!followed) {
              yield { event: 'end', data: { message: `Deployment ${name} has no pods yet` } };
              return;
            }
            yield { event: 'meta', data: { podName: followed.podName, container: followed.container } };
            for await (const line of followed.lines) yield { event: 'log', data: line };
            if (!signal.aborted)
              yield { event: 'end', data: { message: 'The container stopped writing logs' } };
          })();
        },
        streaming,
      );
    });
}
