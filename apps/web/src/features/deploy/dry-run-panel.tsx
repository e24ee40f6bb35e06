'use client';
// The side panel of the Deploy screen: what the API's dry run says would happen — whether the
// pods fit on the nodes now (and where, or why not), which provider and engine the operator
// would choose and why, what it would cost — and the Deploy button.
import type { DryRunResponse, FitVerdict, NodeGpuCapacity, Permission } from '@airunway/schema';
import { Button } from '~/components/button';
import { Card } from '~/components/card';
import { Notice, Skeleton } from '~/components/states';
import { FitBadge } from '~/components/status-badges';
import { ApiRequestError, describeError } from '~/lib/api-client';
import type { FitLevel } from '~/lib/gpu-fit';
import { CostSection } from './cost-section';
import styles from './deploy-screen.module.css';

/** The API's lower-case verdict ("fits on gpu-0") as a sentence. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const LEVEL: Readonly<Record<FitVerdict['status'], FitLevel>> = {
  fits: 'fits',
  'does-not-fit': 'no-fit',
  unknown: 'unknown',
};

function FitSection({ fit }: { fit: FitVerdict }) {
  return (
    <div className={styles.sideSection} data-testid="dry-run-fit" data-fit={fit.status}>
      <p className={styles.sideTitle}>Fit on the cluster now</p>
      <div className={styles.verdictHead}>
        <FitBadge level={LEVEL[fit.status]} />
      </div>
      <p className={styles.verdictText}>{sentence(fit.message)}</p>
      {fit.pods.length > 0 && (
        <ul className={styles.placements}>
          {fit.pods.map((pod) => (
            <li key={pod.role}>
              {pod.role}: {pod.replicas} × (
              {Object.entries(pod.requests)
                .map(([r, q]) => `${q} ${r}`)
                .join(', ') || 'no requests'}
              )
              {pod.placements.length > 0 &&
                ` → ${pod.placements.map((p) => `${p.node}${p.pods > 1 ? ` ×${p.pods}` : ''}`).join(', ')}`}
              {pod.unplaced > 0 && `, ${pod.unplaced} unplaced`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function SelectionSection({ selection }: { selection: DryRunResponse['selection'] }) {
  if (!selection.ok)
    return (
      <div className={styles.sideSection}>
        <p className={styles.sideTitle}>Provider and engine</p>
        <Notice tone="danger" title={`No ${selection.stage} can run this`}>
          {selection.message}
        </Notice>
      </div>
    );
  return (
    <div className={styles.sideSection} data-testid="dry-run-selection">
      <p className={styles.sideTitle}>Provider and engine</p>
      <p>
        <strong>{selection.provider}</strong>{' '}
        <span className={styles.reason}>— {selection.providerReason}</span>
      </p>
      <p>
        <strong>{selection.engine}</strong> <span className={styles.reason}>— {selection.engineReason}</span>
      </p>
    </div>
  );
}

export function DryRunPanel({
  dryRun,
  nodes,
  error,
  checking,
  clientValid,
  namespace,
  mayCreate,
  deploying,
  deployError,
  onDeploy,
}: {
  dryRun: DryRunResponse | undefined;
  /** The GPU nodes and their pools, to price the GPUs where the dry run places them. */
  nodes: readonly NodeGpuCapacity[] | undefined;
  error: unknown;
  checking: boolean;
  clientValid: boolean;
  namespace: string;
  /** Whether the user may create deployments in `namespace`, once known. */
  mayCreate: Permission | undefined;
  deploying: boolean;
  deployError: unknown;
  onDeploy: () => void;
}) {
  const refused = mayCreate?.allowed === false;
  // The dry run is refused for the same reason the notice below gives: say it once.
  const shownError = refused && error instanceof ApiRequestError && error.code === 'FORBIDDEN' ? null : error;
  const apiFields = shownError instanceof ApiRequestError ? shownError.fields : [];
  const doesNotFit = dryRun?.fit.status === 'does-not-fit';
  // The fit verdict is shown above; a warning repeating it would say it twice.
  const notes = dryRun ? [...dryRun.warnings.filter((w) => w !== dryRun.fit.message), ...dryRun.notes] : [];
  return (
    <Card
      title="Review"
      description={checking ? 'Checking with the cluster…' : 'A dry run against the live cluster.'}
    >
      <div className={styles.stack} aria-live="polite">
        {refused && (
          <Notice tone="danger" title={`You cannot deploy to namespace ${namespace}`} role="alert">
            {mayCreate.reason ?? 'Kubernetes does not allow you to create deployments there'}. Choose a
            namespace you may deploy to, or ask a cluster admin for the edit role in {namespace}.
          </Notice>
        )}
        {!clientValid ? (
          <Notice tone="warning" title="Fix the highlighted fields">
            The preview runs once the form is valid.
          </Notice>
        ) : shownError && !dryRun ? (
          <Notice tone="danger" title="The API would refuse this deployment">
            {describeError(shownError)}
            {apiFields.length > 1 && (
              <ul className={styles.list}>
                {apiFields.map((f) => (
                  <li key={`${f.path}:${f.message}`}>
                    {f.path}: {f.message}
                  </li>
                ))}
              </ul>
            )}
          </Notice>
        ) : !dryRun ? (
          !refused && (
            <div className={styles.stack}>
              <Skeleton width="50%" />
              <Skeleton />
              <Skeleton width="70%" />
            </div>
          )
        ) : (
          <>
            {shownError !== null && shownError !== undefined && (
              <Notice tone="danger" title="The latest change would be refused">
                {describeError(shownError)}
              </Notice>
            )}
            <FitSection fit={dryRun.fit} />
            <CostSection fit={dryRun.fit} nodes={nodes} />
            <SelectionSection selection={dryRun.selection} />
            {notes.length > 0 && (
              <div className={styles.sideSection}>
                <p className={styles.sideTitle}>Worth knowing</p>
                <ul className={styles.list}>
                  {notes.map((text) => (
                    <li key={text}>{text}</li>
                  ))}
                </ul>
              </div>
            )}
          </>
        )}
        {deployError !== null && deployError !== undefined && (
          <Notice
            tone="danger"
            title={
              deployError instanceof ApiRequestError && deployError.code === 'FORBIDDEN'
                ? 'Deploy refused: you lack the permission'
                : 'Deploy failed'
            }
            role="alert"
          >
            {describeError(deployError)}
          </Notice>
        )}
        {doesNotFit && (
          <p className={styles.reason}>
            It can still be created: it waits in Pending until GPUs free up or the autoscaler adds nodes.
          </p>
        )}
        <Button
          variant="primary"
          className={styles.deployButton}
          onClick={onDeploy}
          busy={deploying}
          disabled={!clientValid || refused || dryRun?.selection.ok === false}
        >
          {doesNotFit ? 'Deploy anyway' : 'Deploy'}
        </Button>
      </div>
    </Card>
  );
}
