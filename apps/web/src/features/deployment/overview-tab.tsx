'use client';
// A deployment at a glance: its status and why it is so, what keeps its pods from running
// (with advice on whether more nodes would help), its conditions, pods and events, and how to
// call it.
import type { DeploymentDetail, DeploymentEvent, PendingReason } from '@airunway/schema';
import { Badge } from '~/components/badge';
import { Card } from '~/components/card';
import { CodeBlock } from '~/components/code-block';
import { KeyValueList } from '~/components/key-value';
import { EmptyState, ErrorState, Loading, Notice } from '~/components/states';
import { age, absoluteTime } from '~/lib/format';
import { useAutoscaler, useDeploymentEvents, usePendingReasons } from '~/lib/queries';
import styles from './deployment.module.css';

function ConditionBadge({ status }: { status: string }) {
  if (status === 'True')
    return (
      <Badge tone="success" icon="check">
        True
      </Badge>
    );
  if (status === 'False')
    return (
      <Badge tone="danger" icon="x">
        False
      </Badge>
    );
  return (
    <Badge tone="neutral" icon="info">
      {status}
    </Badge>
  );
}

function StatusCard({ d }: { d: DeploymentDetail }) {
  const model = d.servedModelName ?? d.modelId.split('/').pop() ?? d.modelId;
  return (
    <Card title="Status">
      <div className={styles.column}>
        {d.message && (
          <p className={styles.message} data-testid="status-message">
            {d.message}
          </p>
        )}
        <KeyValueList
          items={[
            [
              'Replicas',
              `${d.replicas.ready} ready of ${d.replicas.desired} (${d.replicas.available} available)`,
            ],
            [
              'Provider',
              d.provider ? (
                <>
                  <strong>{d.provider}</strong>
                  {d.providerReason && <span className="muted"> — {d.providerReason}</span>}
                </>
              ) : (
                'not chosen yet'
              ),
            ],
            [
              'Engine',
              d.engine ? (
                <>
                  <strong>{d.engine}</strong>
                  {d.engineReason && <span className="muted"> — {d.engineReason}</span>}
                </>
              ) : (
                'not chosen yet'
              ),
            ],
            ['Serving', d.mode],
            ['GPUs', d.gpus > 0 ? `${d.gpus} in all` : 'none (CPU)'],
            [
              'Model',
              <span key="m" className="mono">
                {d.modelId}
              </span>,
            ],
            [
              'Served as',
              <span key="s" className="mono">
                {model}
              </span>,
            ],
            [
              'Endpoint',
              d.endpoint ? (
                <span key="e" className="mono">{`${d.endpoint.service}:${d.endpoint.port}`}</span>
              ) : undefined,
            ],
            [
              'Gateway',
              d.gateway?.endpoint ? (
                <span key="g" className="mono">
                  {d.gateway.endpoint}
                </span>
              ) : undefined,
            ],
            [
              'Created',
              <span key="c" title={absoluteTime(d.createdAt)}>
                {age(d.createdAt)} ago
              </span>,
            ],
            [
              'Observed',
              d.generation !== undefined
                ? d.observedGeneration === d.generation
                  ? `generation ${d.generation}, up to date`
                  : `generation ${d.observedGeneration ?? '–'} of ${d.generation}: the operator has not caught up yet`
                : undefined,
            ],
          ]}
        />
      </div>
    </Card>
  );
}

function advice(reason: PendingReason, autoscaler: ReturnType<typeof useAutoscaler>['data']): string {
  if (!reason.isResourceConstraint) return 'This is not a shortage of resources: fix what the message names.';
  const what =
    reason.resourceType === 'gpu'
      ? 'GPUs'
      : reason.resourceType === 'cpu'
        ? 'CPU'
        : (reason.resourceType ?? 'resources');
  if (!reason.canAutoscalerHelp)
    return `More nodes would not help: the node selector or tolerations keep the pod off the nodes that have ${what}.`;
  if (!autoscaler)
    return `No node has enough ${what} free. Free some (scale another deployment down) or add nodes.`;
  const { detection, status } = autoscaler;
  if (!detection.detected)
    return `No node has enough ${what} free, and no cluster autoscaler was found: free ${what} by scaling another deployment down, or add a node pool with ${what}.`;
  if (!detection.healthy || status?.stale)
    return `The ${detection.type} autoscaler could add a node, but it looks unhealthy (${detection.message}).`;
  return `The ${detection.type} autoscaler can add a node with ${what}; this usually takes a few minutes. If it does not, check the node groups’ maximum size.`;
}

function PendingCard({ d }: { d: DeploymentDetail }) {
  const pendingPods = d.pods.filter((p) => p.phase === 'Pending').length;
  const enabled = d.phase === 'Pending' || pendingPods > 0;
  const reasons = usePendingReasons(d.namespace, d.name, enabled);
  const autoscaler = useAutoscaler();
  if (!enabled) return null;
  return (
    <Card
      title="Why it is waiting"
      description="What the scheduler says about the pods that have not started."
    >
      {reasons.error ? (
        <ErrorState error={reasons.error} />
      ) : reasons.isPending ? (
        <Loading label="Asking the scheduler…" />
      ) : reasons.data.reasons.length === 0 ? (
        <p className="muted">
          No scheduling problem reported
          {d.pods.length === 0 ? ': the provider has not created pods yet.' : '.'}
        </p>
      ) : (
        <ul className={styles.reasons} data-testid="pending-reasons">
          {reasons.data.reasons.map((r) => (
            <li key={`${r.reason}:${r.message}`} className={styles.reason}>
              <div className={styles.reasonHead}>
                <Badge tone={r.isResourceConstraint ? 'warning' : 'danger'} icon="alert">
                  {r.reason}
                </Badge>
                {r.resourceType && <Badge tone="outline">{r.resourceType.toUpperCase()} short</Badge>}
                {r.count && r.count > 1 && <span className="muted">×{r.count}</span>}
              </div>
              <p className="mono">{r.message}</p>
              <p className={styles.advice}>{advice(r, autoscaler.data)}</p>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function ConditionsCard({ d }: { d: DeploymentDetail }) {
  return (
    <Card title="Conditions" flush>
      {d.conditions.length === 0 ? (
        <EmptyState title="No conditions yet">
          The operator reports them once it has seen the deployment.
        </EmptyState>
      ) : (
        <div className={styles.tableScroll}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Reason and message</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {d.conditions.map((c) => (
                <tr key={c.type}>
                  <td>{c.type}</td>
                  <td>
                    <ConditionBadge status={c.status} />
                  </td>
                  <td>
                    {c.reason && <strong>{c.reason}</strong>}
                    {c.message && <p className="muted">{c.message}</p>}
                  </td>
                  <td className="nowrap" title={absoluteTime(c.lastTransitionTime)}>
                    {age(c.lastTransitionTime)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function PodsCard({ d }: { d: DeploymentDetail }) {
  return (
    <Card title="Pods" flush>
      {d.pods.length === 0 ? (
        <EmptyState icon="deployments" title="No pods yet">
          {d.phase === 'Failed'
            ? 'The provider could not create them; see the conditions.'
            : 'They appear as the provider creates them.'}
        </EmptyState>
      ) : (
        <div className={styles.tableScroll}>
          <table className={styles.table} data-testid="pods">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Phase</th>
                <th scope="col">Ready</th>
                <th scope="col">Restarts</th>
                <th scope="col">Node</th>
                <th scope="col">Age</th>
              </tr>
            </thead>
            <tbody>
              {d.pods.map((p) => (
                <tr key={p.name}>
                  <td className="mono nowrap">{p.name}</td>
                  <td>
                    {p.phase}
                    {p.reason && <span className="muted"> ({p.reason})</span>}
                  </td>
                  <td>
                    {p.ready ? (
                      <Badge tone="success" icon="check">
                        Ready
                      </Badge>
                    ) : (
                      <Badge tone="neutral" icon="clock">
                        Not ready
                      </Badge>
                    )}
                  </td>
                  <td>{p.restarts}</td>
                  <td className="mono nowrap">{p.node ?? '—'}</td>
                  <td>{age(p.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function EventTypeBadge({ type }: { type: string }) {
  if (type === 'Warning')
    return (
      <Badge tone="warning" icon="alert">
        Warning
      </Badge>
    );
  return (
    <Badge tone="neutral" icon="info">
      {type}
    </Badge>
  );
}

function EventsTable({ events }: { events: readonly DeploymentEvent[] }) {
  return (
    <div className={styles.tableScroll}>
      <table className={styles.table} data-testid="events">
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Reason</th>
            <th scope="col">Message</th>
            <th scope="col">Count</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e, i) => (
            <tr key={`${e.object.kind}/${e.object.name}/${e.reason}/${e.lastSeen ?? ''}/${i}`}>
              <td>
                <EventTypeBadge type={e.type} />
              </td>
              <td>
                <strong>{e.reason}</strong>
                <p className="muted mono">
                  {e.object.kind === 'Pod' ? `pod ${e.object.name}` : e.object.kind}
                </p>
              </td>
              <td className="mono">{e.message}</td>
              <td>{e.count}</td>
              <td className="nowrap" title={absoluteTime(e.lastSeen)}>
                {e.lastSeen ? `${age(e.lastSeen)} ago` : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EventsCard({ d }: { d: DeploymentDetail }) {
  const events = useDeploymentEvents(d.namespace, d.name);
  return (
    <Card
      title="Events"
      description="What Kubernetes reported about the deployment and its pods, newest first."
      flush
    >
      {events.error ? (
        <ErrorState title="The events could not be read" error={events.error} />
      ) : events.isPending ? (
        <Loading label="Reading events…" />
      ) : events.data.events.length === 0 ? (
        <EmptyState title="No events">
          Kubernetes has reported nothing about this deployment lately.
        </EmptyState>
      ) : (
        <EventsTable events={events.data.events} />
      )}
    </Card>
  );
}

function AccessCard({ d }: { d: DeploymentDetail }) {
  const model = d.servedModelName ?? d.modelId.split('/').pop() ?? d.modelId;
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello!' }] });
  const local = d.endpoint
    ? `kubectl port-forward -n ${d.namespace} svc/${d.endpoint.service} 8000:${d.endpoint.port}\n\ncurl http://localhost:8000/v1/chat/completions \\\n  -H 'Content-Type: application/json' \\\n  -d '${body}'`
    : undefined;
  const gatewayModel = d.gateway?.modelName ?? model;
  const gatewayReady = d.conditions.find((c) => c.type === 'GatewayReady');
  const gateway = d.gateway?.endpoint
    ? `curl ${d.gateway.endpoint.replace(/\/$/, '')}/v1/chat/completions \\\n  -H 'Content-Type: application/json' \\\n  -d '${JSON.stringify({ model: gatewayModel, messages: [{ role: 'user', content: 'Hello!' }] })}'`
    : undefined;
  return (
    <Card title="Call it" description="An OpenAI-compatible API (chat completions, completions, models).">
      {!local && !gateway ? (
        <p className="muted">The endpoint is known once the provider has created its Service.</p>
      ) : (
        <div className={styles.steps}>
          {d.phase !== 'Running' && <Notice tone="info">It answers once the deployment is Running.</Notice>}
          {local && <CodeBlock label="From your machine, through a port-forward" code={local} />}
          {gateway && <CodeBlock label="Through the inference Gateway" code={gateway} />}
          {gateway && gatewayReady?.status !== 'True' && (
            // The Gateway has an address before it routes: say why the example fails until then.
            <Notice tone="warning" title="The Gateway does not route to it yet">
              {gatewayReady?.message ?? 'The operator has not reported on the route yet.'}
            </Notice>
          )}
        </div>
      )}
    </Card>
  );
}

export function OverviewTab({ d }: { d: DeploymentDetail }) {
  return (
    <div className={styles.column}>
      <div className={styles.grid}>
        <StatusCard d={d} />
        <AccessCard d={d} />
      </div>
      <PendingCard d={d} />
      <PodsCard d={d} />
      <ConditionsCard d={d} />
      <EventsCard d={d} />
    </div>
  );
}
