'use client';
// One deployment: status, pods, logs, metrics and manifests, with scale, edit and delete. The
// API's change stream says when the deployment changed; only then are its details read again.
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { Button } from '~/components/button';
import { Icon } from '~/components/icon';
import { PageHeader } from '~/components/page-header';
import { ErrorState, Notice, Skeleton } from '~/components/states';
import { PhaseBadge } from '~/components/status-badges';
import { Tabs } from '~/components/tabs';
import { ApiRequestError } from '~/lib/api-client';
import { useDeploymentStream } from '~/lib/deployment-stream';
import { useDeployment, useDeploymentPermissions } from '~/lib/queries';
import { useSearchState } from '~/lib/use-search-state';
import { DeleteDialog, EditDialog, ScaleDialog } from './actions';
import { LogsTab } from './logs-tab';
import { ManifestsTab } from './manifests-tab';
import { MetricsTab } from './metrics-tab';
import { OverviewTab } from './overview-tab';

type Tab = 'overview' | 'logs' | 'metrics' | 'manifests';
const TABS: readonly Tab[] = ['overview', 'logs', 'metrics', 'manifests'];

/** Re-reads the deployment's details whenever the stream reports a change to it. */
function useLiveRefresh(namespace: string, name: string): { deleted: boolean } {
  const live = useDeploymentStream(namespace);
  const client = useQueryClient();
  const summary = live.deployments.find((d) => d.name === name);
  const last = useRef(summary);
  const seen = useRef(false);
  useEffect(() => {
    if (summary) seen.current = true;
    if (summary === last.current) return;
    last.current = summary;
    if (!live.loaded) return;
    // Parts not shown right now (logs, metrics) refresh when their tab opens.
    void client.invalidateQueries({ queryKey: ['deployment', namespace, name] });
  }, [summary, live.loaded, client, namespace, name]);
  return { deleted: live.loaded && seen.current && !summary };
}

/** Why the signed-in user may not scale, edit or delete here (each refusal once), if they may not. */
function useRefusals(namespace: string) {
  const permissions = useDeploymentPermissions(namespace);
  const { update, delete: remove } = permissions.data ?? {};
  const reasons = [update, remove].flatMap((p) => (p && !p.allowed && p.reason ? [p.reason] : []));
  return { mayUpdate: update?.allowed !== false, mayDelete: remove?.allowed !== false, reasons };
}

const REFUSALS_ID = 'deployment-refusals';

export function DeploymentScreen({ namespace, name }: { namespace: string; name: string }) {
  const detail = useDeployment(namespace, name);
  const refusals = useRefusals(namespace);
  const { deleted } = useLiveRefresh(namespace, name);
  const [params, setParams] = useSearchState();
  const tabParam = params.get('tab') as Tab | null;
  const tab: Tab = tabParam && TABS.includes(tabParam) ? tabParam : 'overview';
  const created = params.get('created') === '1';
  const [dialog, setDialog] = useState<'scale' | 'edit' | 'delete' | undefined>(undefined);

  const back = (
    <Link href="/deployments" style={{ display: 'inline-flex', gap: 4, alignItems: 'center' }}>
      <Icon name="arrowLeft" size={14} /> Deployments
    </Link>
  );
  if (detail.error) {
    const missing = detail.error instanceof ApiRequestError && detail.error.status === 404;
    return (
      <>
        <PageHeader eyebrow={back} title={name} />
        <ErrorState
          title={missing ? `No deployment ${name} in ${namespace}` : 'The deployment could not be loaded'}
          error={detail.error}
          actions={missing ? undefined : <Button onClick={() => void detail.refetch()}>Try again</Button>}
        />
      </>
    );
  }
  if (!detail.data)
    return (
      <>
        <PageHeader eyebrow={back} title={name} />
        <div style={{ display: 'grid', gap: 16 }} aria-busy="true">
          <Skeleton height={40} />
          <Skeleton height={200} />
        </div>
      </>
    );
  const d = detail.data;
  return (
    <>
      <PageHeader
        eyebrow={back}
        title={d.name}
        badges={<PhaseBadge phase={d.phase} />}
        description={
          <>
            <span className="mono">{d.modelId}</span> in namespace <strong>{d.namespace}</strong>
          </>
        }
        actions={
          <>
            <Button
              onClick={() => {
                setDialog('scale');
              }}
              disabled={d.phase === 'Terminating' || !refusals.mayUpdate}
              aria-describedby={refusals.mayUpdate ? undefined : REFUSALS_ID}
            >
              Scale
            </Button>
            <Button
              onClick={() => {
                setDialog('edit');
              }}
              disabled={d.phase === 'Terminating' || !refusals.mayUpdate}
              aria-describedby={refusals.mayUpdate ? undefined : REFUSALS_ID}
            >
              Edit
            </Button>
            <Button
              variant="danger"
              onClick={() => {
                setDialog('delete');
              }}
              disabled={d.phase === 'Terminating' || !refusals.mayDelete}
              aria-describedby={refusals.mayDelete ? undefined : REFUSALS_ID}
            >
              <Icon name="trash" size={14} />
              Delete
            </Button>
          </>
        }
      />
      {refusals.reasons.length > 0 && (
        <Notice
          tone="info"
          title={
            !refusals.mayUpdate && !refusals.mayDelete
              ? 'You can view this deployment, but not change it'
              : `You cannot ${refusals.mayUpdate ? 'delete' : 'scale or edit'} this deployment`
          }
          id={REFUSALS_ID}
        >
          {refusals.reasons.join('. ')}. Ask a cluster admin for the edit role in {d.namespace} to scale, edit
          or delete it.
        </Notice>
      )}
      {deleted && (
        <Notice tone="warning" title="This deployment has been deleted" role="status">
          <Link href="/deployments">Back to the list</Link>
        </Notice>
      )}
      {created && !deleted && d.phase !== 'Running' && (
        <Notice tone="success" title="Deployment created" role="status">
          The operator is creating its objects. This page follows it live until it is Running.
        </Notice>
      )}
      <div style={{ height: 12 }} />
      <Tabs
        label="Deployment"
        selected={tab}
        onSelect={(t) => {
          setParams({ tab: t === 'overview' ? undefined : t, created: undefined });
        }}
        items={[
          { key: 'overview', label: 'Overview' },
          { key: 'logs', label: 'Logs' },
          { key: 'metrics', label: 'Metrics' },
          { key: 'manifests', label: 'Manifests' },
        ]}
      >
        {tab === 'overview' && <OverviewTab d={d} />}
        {tab === 'logs' && <LogsTab namespace={d.namespace} name={d.name} pods={d.pods} />}
        {tab === 'metrics' && <MetricsTab namespace={d.namespace} name={d.name} />}
        {tab === 'manifests' && <ManifestsTab namespace={d.namespace} name={d.name} />}
      </Tabs>
      {dialog === 'scale' && (
        <ScaleDialog
          d={d}
          open
          onClose={() => {
            setDialog(undefined);
          }}
        />
      )}
      {dialog === 'edit' && (
        <EditDialog
          d={d}
          open
          onClose={() => {
            setDialog(undefined);
          }}
        />
      )}
      {dialog === 'delete' && (
        <DeleteDialog
          d={d}
          open
          onClose={() => {
            setDialog(undefined);
          }}
        />
      )}
    </>
  );
}
