// Logs of a deployment's pods, read through the apiserver with the caller's token (so `get
// pods/log` is RBAC's decision) — a snapshot of the last lines, or followed as they come.
// Engines colour their logs; the escape sequences are removed.
import type { LogsQuery, LogsResponse } from '@airunway/schema';
import type { Caller } from '../../auth/caller.js';
import { containerNames, type DeploymentPod } from '../../cache/deployment-pods.js';
import { requestText, textLines } from '../../cluster/stream.js';
import { ApiError } from '../../errors.js';
import type { DeploymentService } from './service.js';

// CSI (colours, cursor), OSC (titles, links) and two-character escapes.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export interface LogTarget {
  readonly podName: string;
  readonly container: string;
}

export interface FollowedLogs extends LogTarget {
  readonly lines: AsyncGenerator<string, void, undefined>;
}

function logPath(namespace: string, pod: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`;
}

export class LogService {
  constructor(private readonly deployments: DeploymentService) {}

  /** The pod and container to read; undefined when the deployment has no pods. */
  private async target(
    caller: Caller,
    namespace: string,
    name: string,
    query: Pick<LogsQuery, 'podName' | 'container'>,
  ): Promise<LogTarget | undefined> {
    const pods = await this.deployments.podsOf(caller, namespace, name);
    let pod: DeploymentPod | undefined;
    if (query.podName !== undefined) {
      pod = pods.find((p) => p.metadata.name === query.podName);
      if (!pod)
        throw ApiError.notFound(`Pod "${query.podName}" is not a pod of deployment ${name}`, {
          podName: query.podName,
          pods: pods.map((p) => p.metadata.name),
        });
    } else pod = pods[0];
    if (!pod) return undefined;
    const containers = containerNames(pod);
    const container = query.container ?? containers[0];
    if (container === undefined || !containers.includes(container))
      throw ApiError.validation([
        {
          path: 'container',
          message: `pod ${pod.metadata.name ?? ''} has no container "${container ?? ''}"; it has ${containers.join(', ')}`,
        },
      ]);
    return { podName: pod.metadata.name ?? '', container };
  }

  async logs(caller: Caller, namespace: string, name: string, query: LogsQuery): Promise<LogsResponse> {
    const target = await this.target(caller, namespace, name, query);
    if (!target) return { logs: '', message: `Deployment ${name} has no pods yet` };
    const text = await requestText(caller.kube, {
      path: logPath(namespace, target.podName),
      query: {
        container: target.container,
        tailLines: query.tailLines,
        timestamps: query.timestamps || undefined,
      },
      verb: 'get',
    });
    return { logs: stripAnsi(text), ...target };
  }

  /** New lines as they are written, until the container stops or `signal` aborts. */
  async follow(
    caller: Caller,
    namespace: string,
    name: string,
    query: LogsQuery,
    signal: AbortSignal,
  ): Promise<FollowedLogs | undefined> {
    const target = await this.target(caller, namespace, name, query);
    if (!target) return undefined;
    const response = await caller.kube.requestStream({
      path: logPath(namespace, target.podName),
      query: {
        container: target.container,
        tailLines: query.tailLines,
        timestamps: query.timestamps || undefined,
        follow: true,
      },
      signal,
      verb: 'get',
    });
    async function* lines(): AsyncGenerator<string, void, undefined> {
      try {
        for await (const line of textLines(response.body)) yield stripAnsi(line);
      } catch (err) {
        if (!signal.aborted) throw err;
      }
    }
    return { ...target, lines: lines() };
  }
}
