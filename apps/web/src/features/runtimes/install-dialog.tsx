'use client';
// Installs or uninstalls a provider's operator with the pinned Helm chart, showing each step
// and its output as the API runs it. The manual commands are shown too, for clusters where the
// API may not install (RBAC) or for review.
import { useQueryClient } from '@tanstack/react-query';
import { Badge } from '~/components/badge';
import { Button } from '~/components/button';
import { CodeBlock } from '~/components/code-block';
import { Dialog } from '~/components/dialog';
import { Loading, Notice } from '~/components/states';
import { useOperationStream } from '~/lib/operation-stream';
import { keys, useProviderCommands } from '~/lib/queries';
import type { ProviderInstallInfo } from './provider-info';
import styles from './runtimes.module.css';

export function InstallDialog({
  provider,
  action,
  onClose,
}: {
  provider: ProviderInstallInfo;
  action: 'install' | 'uninstall';
  onClose: () => void;
}) {
  const [operation, run] = useOperationStream();
  const commands = useProviderCommands(provider.id, action === 'install');
  const client = useQueryClient();
  const started = operation.running || operation.steps.length > 0 || operation.result || operation.error;
  const done = !operation.running && (operation.result ?? operation.error);
  const verb = action === 'install' ? 'Install' : 'Uninstall';
  return (
    <Dialog
      open
      wide
      onClose={() => {
        if (!operation.running) onClose();
      }}
      title={`${verb} ${provider.displayName}`}
      description={
        provider.install
          ? `${action === 'install' ? 'Installs' : 'Removes'} Helm release ${provider.install.release} (chart ${provider.install.chart}, version ${provider.install.version}) in namespace ${provider.install.namespace}. Needs cluster-admin rights.`
          : 'This provider has nothing to install.'
      }
      footer={
        <>
          <Button onClick={onClose} disabled={operation.running}>
            {done ? 'Close' : 'Cancel'}
          </Button>
          {!done && (
            <Button
              variant={action === 'install' ? 'primary' : 'danger'}
              busy={operation.running}
              onClick={() => {
                void run(`/installation/providers/${provider.id}/${action}`).then(() =>
                  client.invalidateQueries({ queryKey: keys.runtimes }),
                );
              }}
            >
              {verb}
            </Button>
          )}
        </>
      }
    >
      {action === 'install' && provider.install && provider.install.notes.length > 0 && !started && (
        <Notice tone="info" title="Good to know">
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {provider.install.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </Notice>
      )}
      {action === 'install' &&
        !started &&
        (commands.data ? (
          commands.data.commands.length > 0 ? (
            <CodeBlock
              label="What runs (also to run by hand)"
              code={commands.data.commands.join('\n')}
              maxHeight={200}
            />
          ) : (
            <p className="muted">{commands.data.message}</p>
          )
        ) : commands.isPending ? (
          <Loading label="Reading the install commands…" />
        ) : null)}
      {operation.steps.length > 0 && (
        <ol className={styles.steps} aria-live="polite">
          {operation.steps.map((s) => (
            <li key={s.step}>
              <div className={styles.stepHead}>
                {s.status === 'running' ? (
                  <Badge tone="info" icon="progress" spinning>
                    Running
                  </Badge>
                ) : s.status === 'succeeded' ? (
                  <Badge tone="success" icon="check">
                    Done
                  </Badge>
                ) : (
                  <Badge tone="danger" icon="x">
                    Failed
                  </Badge>
                )}
                <span>{s.step}</span>
              </div>
              {s.output.length > 0 && <pre className={styles.output}>{s.output.join('\n')}</pre>}
            </li>
          ))}
        </ol>
      )}
      {operation.result && (
        <Notice tone="success" title={`${verb} finished`} role="status">
          {typeof operation.result.message === 'string' ? operation.result.message : null}
        </Notice>
      )}
      {operation.error && (
        <Notice tone="danger" title={`${verb} failed`} role="alert">
          {operation.error.error}
        </Notice>
      )}
    </Dialog>
  );
}
