'use client';
// Runtimes: which providers are installed and healthy (with install and uninstall through the
// API's pinned Helm charts), the GPUs of each node pool, the cluster autoscaler and the
// inference Gateway.
import type { ProviderPermissions, RuntimeStatus } from '@airunway/schema';
import { useState } from 'react';
import { Badge } from '~/components/badge';
import { Button } from '~/components/button';
import { Card } from '~/components/card';
import { KeyValueList } from '~/components/key-value';
import { PageHeader } from '~/components/page-header';
import { EmptyState, ErrorState, Loading, Notice } from '~/components/states';
import { HealthBadge } from '~/components/status-badges';
import { absoluteTime, gbLabel } from '~/lib/format';
import {
  useAutoscaler,
  useGatewayStatus,
  useGpuCapacityDetailed,
  useInstallationPermissions,
  useRuntimes,
} from '~/lib/queries';
import { InstallDialog } from './install-dialog';
import type { ProviderInstallInfo } from './provider-info';
import styles from './runtimes.module.css';

function ProviderCard({
  info,
  status,
  permissions,
  onAction,
}: {
  info: ProviderInstallInfo;
  status: RuntimeStatus | undefined;
  /** What the user may do with it; undefined while unknown (then nothing is offered). */
  permissions: Pick<ProviderPermissions, 'install' | 'uninstall'> | undefined;
  onAction: (action: 'install' | 'uninstall') => void;
}) {
  const needsNothing = !info.install;
  // Offered only to someone Kubernetes lets do it; anyone else is told what they lack.
  const action = info.install && status ? (status.installed ? 'uninstall' : 'install') : undefined;
  const permission = action && permissions?.[action];
  return (
    <article className={styles.provider} aria-labelledby={`provider-${info.id}`} data-provider={info.id}>
      <div className={styles.providerHead}>
        <div>
          <h3 className={styles.providerName} id={`provider-${info.id}`}>
            {info.displayName}
          </h3>
          {status?.version && <span className={styles.muted}>version {status.version}</span>}
        </div>
        {status ? (
          status.installed ? (
            status.healthy ? (
              <Badge tone="success" icon="check">
                Ready
              </Badge>
            ) : (
              <Badge tone="warning" icon="alert">
                Unhealthy
              </Badge>
            )
          ) : (
            <Badge tone="neutral" icon="minus">
              Not installed
            </Badge>
          )
        ) : (
          <Badge tone="neutral">Unknown</Badge>
        )}
      </div>
      <p className={styles.muted}>{info.description}</p>
      {status && (
        <>
          <div className={styles.checks}>
            <HealthBadge
              ok={status.crdFound}
              okText={needsNothing ? 'No CRDs needed' : 'CRDs established'}
              badText="CRDs missing"
            />
            <HealthBadge
              ok={status.operatorRunning}
              okText={needsNothing ? 'Run by AI Runway' : 'Operator running'}
              badText="Operator not running"
              warn={status.crdFound}
            />
          </div>
          <p className={styles.muted}>{status.message}</p>
        </>
      )}
      {permission && !permission.allowed && (
        <p className={styles.muted}>
          {action === 'install' ? 'Installing' : 'Uninstalling'} needs more rights than you have:{' '}
          {permission.reason ?? 'Kubernetes refuses it'}.
        </p>
      )}
      <div className={styles.actions}>
        {action === 'install' && permission?.allowed && (
          <Button
            variant="primary"
            size="small"
            onClick={() => {
              onAction('install');
            }}
          >
            Install
          </Button>
        )}
        {action === 'uninstall' && permission?.allowed && (
          <Button
            size="small"
            onClick={() => {
              onAction('uninstall');
            }}
          >
            Uninstall
          </Button>
        )}
        <a href={info.documentationUrl} target="_blank" rel="noreferrer" className={styles.muted}>
          Documentation
        </a>
      </div>
    </article>
  );
}

/** Everything allowed: when the answers cannot be read, the API itself still decides. */
const UNCHECKED = { install: { allowed: true }, uninstall: { allowed: true } } as const;

function ProvidersCard({ providers }: { providers: readonly ProviderInstallInfo[] }) {
  const runtimes = useRuntimes();
  const permissions = useInstallationPermissions();
  const [action, setAction] = useState<
    { provider: ProviderInstallInfo; action: 'install' | 'uninstall' } | undefined
  >();
  return (
    <Card
      title="Providers"
      description="A provider is usable when its CRDs are established and its operator is ready. Auto-selection only picks usable ones."
      actions={
        <Button size="small" onClick={() => void runtimes.refetch()} busy={runtimes.isFetching}>
          Refresh
        </Button>
      }
    >
      {runtimes.error ? (
        <ErrorState title="Runtime status unavailable" error={runtimes.error} />
      ) : runtimes.isPending ? (
        <Loading />
      ) : (
        <div className={styles.providers}>
          {providers.map((info) => (
            <ProviderCard
              key={info.id}
              info={info}
              status={runtimes.data.runtimes.find((r) => r.id === info.id)}
              permissions={
                permissions.error ? UNCHECKED : permissions.data?.providers.find((p) => p.id === info.id)
              }
              onAction={(a) => {
                setAction({ provider: info, action: a });
              }}
            />
          ))}
        </div>
      )}
      {action && (
        <InstallDialog
          provider={action.provider}
          action={action.action}
          onClose={() => {
            setAction(undefined);
          }}
        />
      )}
    </Card>
  );
}

function Usage({ used, total }: { used: number; total: number }) {
  const share = total > 0 ? used / total : 0;
  return (
    <span className={styles.usage}>
      <span
        className={styles.bar}
        role="meter"
        aria-label="GPUs in use"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={used}
      >
        <span className={styles.barFill} style={{ width: `${Math.round(share * 100)}%` }} />
      </span>
      {used} of {total} in use
    </span>
  );
}

function CapacityCard() {
  const capacity = useGpuCapacityDetailed();
  return (
    <Card
      title="GPU capacity"
      description="By node pool, net of what running and scheduled pods request."
      flush
    >
      {capacity.error ? (
        <ErrorState title="GPU capacity unavailable" error={capacity.error} />
      ) : capacity.isPending ? (
        <div style={{ padding: 16 }}>
          <Loading />
        </div>
      ) : capacity.data.gpuNodeCount === 0 ? (
        <EmptyState icon="gpu" title="No GPU nodes">
          No node offers nvidia.com/gpu. Install the NVIDIA GPU Operator on GPU nodes, or add a GPU node pool.
        </EmptyState>
      ) : (
        <div style={{ padding: 16 }}>
          <div className={styles.summary}>
            <div className={styles.stat}>
              <span className={styles.muted}>GPUs free</span>
              <span className={styles.statValue}>
                {capacity.data.availableGpus} / {capacity.data.totalGpus}
              </span>
            </div>
            <div className={styles.stat}>
              <span className={styles.muted}>Largest free on one node</span>
              <span className={styles.statValue}>{capacity.data.maxContiguousAvailable}</span>
            </div>
            <div className={styles.stat}>
              <span className={styles.muted}>GPU nodes</span>
              <span className={styles.statValue}>{capacity.data.gpuNodeCount}</span>
            </div>
            <div className={styles.stat}>
              <span className={styles.muted}>Largest GPU</span>
              <span className={styles.statValue}>{gbLabel(capacity.data.totalMemoryGb)}</span>
            </div>
          </div>
          <div className={styles.scroll}>
            <table className={styles.table}>
              <thead>
                <tr>
                  <th scope="col">Pool</th>
                  <th scope="col">GPU</th>
                  <th scope="col">Nodes</th>
                  <th scope="col">Usage</th>
                  <th scope="col">Largest free</th>
                  <th scope="col">Instance type</th>
                  <th scope="col">Region</th>
                </tr>
              </thead>
              <tbody>
                {capacity.data.nodePools.map((pool) => (
                  <tr key={pool.name}>
                    <td>
                      <strong>{pool.name}</strong>
                    </td>
                    <td>
                      {pool.gpuModel ?? '—'}
                      {pool.gpuMemoryGb !== undefined && (
                        <span className={styles.muted}> · {gbLabel(pool.gpuMemoryGb)}</span>
                      )}
                    </td>
                    <td>{pool.nodeCount}</td>
                    <td>
                      <Usage used={pool.allocatedGpus} total={pool.gpuCount} />
                    </td>
                    <td>{pool.maxContiguousAvailable}</td>
                    <td className="mono">{pool.instanceType ?? '—'}</td>
                    <td>{pool.region ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </Card>
  );
}

function AutoscalerCard() {
  const autoscaler = useAutoscaler();
  return (
    <Card title="Cluster autoscaler" description="Whether pending GPU pods can get new nodes.">
      {autoscaler.error ? (
        <ErrorState title="Autoscaler status unavailable" error={autoscaler.error} />
      ) : autoscaler.isPending ? (
        <Loading />
      ) : (
        <div style={{ display: 'grid', gap: 12 }}>
          <div>
            {!autoscaler.data.detection.detected ? (
              <Badge tone="neutral" icon="minus">
                Not detected
              </Badge>
            ) : autoscaler.data.detection.healthy ? (
              <Badge tone="success" icon="check">
                Healthy
              </Badge>
            ) : (
              <Badge tone="warning" icon="alert">
                Unhealthy
              </Badge>
            )}
          </div>
          <KeyValueList
            items={[
              ['Type', autoscaler.data.detection.type],
              ['Status', autoscaler.data.detection.message],
              ['Node groups', String(autoscaler.data.detection.nodeGroupCount)],
              ['Last update', absoluteTime(autoscaler.data.detection.lastUpdated)],
            ]}
          />
          {!autoscaler.data.detection.detected && (
            <p className={styles.muted}>
              Without an autoscaler, a deployment that does not fit waits until GPUs are freed or nodes are
              added by hand.
            </p>
          )}
          {autoscaler.data.status && autoscaler.data.status.nodeGroups.length > 0 && (
            <div className={styles.scroll}>
              <table className={styles.table}>
                <thead>
                  <tr>
                    <th scope="col">Node group</th>
                    <th scope="col">Health</th>
                    <th scope="col">Min</th>
                    <th scope="col">Current</th>
                    <th scope="col">Max</th>
                  </tr>
                </thead>
                <tbody>
                  {autoscaler.data.status.nodeGroups.map((g) => (
                    <tr key={g.name}>
                      <td>{g.name}</td>
                      <td>{g.health}</td>
                      <td>{g.minSize}</td>
                      <td>{g.currentSize}</td>
                      <td>{g.maxSize}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </Card>
  );
}

function GatewayCard() {
  const gateway = useGatewayStatus();
  return (
    <Card
      title="Inference Gateway"
      description="Routes requests to models by name through the Gateway API Inference Extension."
    >
      {gateway.error ? (
        <ErrorState title="Gateway status unavailable" error={gateway.error} />
      ) : gateway.isPending ? (
        <Loading />
      ) : (
        <div style={{ display: 'grid', gap: 12 }}>
          <div>
            {gateway.data.gateway.available ? (
              <Badge tone="success" icon="check">
                Available
              </Badge>
            ) : (
              <Badge tone="neutral" icon="minus">
                Not available
              </Badge>
            )}
          </div>
          <KeyValueList
            items={[
              [
                'Gateway',
                gateway.data.gateway.gateway
                  ? `${gateway.data.gateway.gateway.namespace}/${gateway.data.gateway.gateway.name}`
                  : undefined,
              ],
              ['Endpoint', gateway.data.gateway.endpoint],
              [
                'Gateway API CRDs',
                gateway.data.crds
                  ? gateway.data.crds.gatewayApiInstalled
                    ? `installed ${gateway.data.crds.gatewayApiVersion ?? ''}`
                    : 'missing'
                  : undefined,
              ],
              [
                'Inference Extension CRDs',
                gateway.data.crds
                  ? gateway.data.crds.inferenceExtInstalled
                    ? `installed ${gateway.data.crds.inferenceExtVersion ?? ''}`
                    : `missing (pinned: ${gateway.data.crds.pinnedVersion})`
                  : undefined,
              ],
              ['Status', gateway.data.gateway.message ?? gateway.data.crds?.message],
            ]}
          />
          {gateway.data.crds &&
            !gateway.data.crds.inferenceExtInstalled &&
            gateway.data.crds.installCommands.length > 0 && (
              <Notice tone="info" title="To install the pinned CRDs by hand">
                <code className="mono">{gateway.data.crds.installCommands.join(' && ')}</code>
              </Notice>
            )}
        </div>
      )}
    </Card>
  );
}

export function RuntimesScreen({ providers }: { providers: readonly ProviderInstallInfo[] }) {
  return (
    <>
      <PageHeader
        title="Runtimes"
        description="The providers that run models, the GPUs they run on, and what can add more."
      />
      <div className={styles.stack}>
        <ProvidersCard providers={providers} />
        <CapacityCard />
        <div className={styles.twoColumns}>
          <AutoscalerCard />
          <GatewayCard />
        </div>
      </div>
    </>
  );
}
