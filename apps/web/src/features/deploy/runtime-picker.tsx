'use client';
// Runtime cards: Automatic, then each provider with whether it is installed and whether it can
// run this model in the chosen mode. A provider that cannot be used says why and points to
// the Runtimes screen instead of failing after deploy — or, for a user who may not install
// providers, says that an administrator can.
import type {
  EngineType,
  InstallationPermissionsResponse,
  ProviderName,
  RuntimeStatus,
  ServingMode,
} from '@airunway/schema';
import Link from 'next/link';
import { Badge } from '~/components/badge';
import type { Choice } from '~/lib/deploy-form';
import styles from './deploy-screen.module.css';
import { compatibility, type ProviderOption } from './provider-options';

function InstallBadge({ status }: { status: RuntimeStatus | undefined }) {
  if (!status) return <Badge tone="neutral">Checking…</Badge>;
  if (status.installed && status.healthy)
    return (
      <Badge tone="success" icon="check">
        Installed
      </Badge>
    );
  if (status.installed)
    return (
      <Badge tone="warning" icon="alert" title={status.message}>
        Unhealthy
      </Badge>
    );
  return (
    <Badge tone="neutral" icon="minus" title={status.message}>
      Not installed
    </Badge>
  );
}

/**
 * Whether the user may install `id`, as far as the API can tell; undefined while unknown. A
 * provider with no chart of its own (it needs CRDs only) has no answer: it is then taken as
 * installable by anyone who may install some provider, since every install needs the same
 * cluster-wide CRD right. Unreadable answers (null) count as allowed: the Runtimes screen and the
 * API still decide.
 */
function mayInstall(
  permissions: InstallationPermissionsResponse | null | undefined,
  id: ProviderName,
): boolean | undefined {
  if (permissions === null) return true;
  if (!permissions) return undefined;
  const own = permissions.providers.find((p) => p.id === id);
  return own ? own.install.allowed : permissions.providers.some((p) => p.install.allowed);
}

/** Where to install a missing provider, or, for a user who may not, who can. */
function InstallHint({ allowed }: { allowed: boolean | undefined }) {
  if (allowed === undefined) return null;
  return <> {allowed ? <Link href="/runtimes">Install…</Link> : '— an administrator can install it.'}</>;
}

export function RuntimePicker({
  providers,
  runtimes,
  modelEngines,
  mode,
  gpu,
  value,
  onChange,
  installPermissions,
}: {
  providers: readonly ProviderOption[];
  runtimes: readonly RuntimeStatus[] | undefined;
  /** Who may install which provider: undefined while asked, null when the answer is unreadable. */
  installPermissions: InstallationPermissionsResponse | null | undefined;
  modelEngines: readonly EngineType[];
  mode: ServingMode;
  gpu: boolean;
  value: Choice<ProviderName>;
  onChange: (value: Choice<ProviderName>) => void;
}) {
  const statusOf = (id: ProviderName) => runtimes?.find((r) => r.id === id);
  const usable = providers.filter(
    (p) => statusOf(p.id)?.installed && compatibility(p, modelEngines, mode, gpu).ok,
  );
  return (
    <fieldset className={styles.fieldset}>
      <legend className={styles.legend}>Provider</legend>
      <div className={styles.runtimes}>
        <label className={styles.runtime}>
          <input
            type="radio"
            name="provider"
            value="auto"
            checked={value === 'auto'}
            onChange={() => {
              onChange('auto');
            }}
          />
          <span className={styles.runtimeName}>Automatic</span>
          <span className={styles.runtimeText}>
            The operator picks the best installed provider and says why.{' '}
            {runtimes &&
              (usable.length > 0 ? `${usable.length} can run this model.` : 'None installed can run it.')}
          </span>
          <span className={styles.runtimeBadges}>
            <Badge tone="accent">Recommended</Badge>
          </span>
        </label>
        {providers.map((provider) => {
          const status = statusOf(provider.id);
          const fit = compatibility(provider, modelEngines, mode, gpu);
          const installed = status?.installed === true;
          const disabled = !installed || !fit.ok;
          const why = !fit.ok
            ? `Not compatible: ${fit.reason ?? ''}`
            : !installed
              ? status?.message
              : undefined;
          return (
            <label
              key={provider.id}
              className={styles.runtime}
              title={provider.description}
              data-provider={provider.id}
            >
              <input
                type="radio"
                name="provider"
                value={provider.id}
                checked={value === provider.id}
                disabled={disabled && value !== provider.id}
                aria-describedby={`runtime-${provider.id}-why`}
                onChange={() => {
                  onChange(provider.id);
                }}
              />
              <span className={styles.runtimeName}>{provider.displayName}</span>
              <span className={styles.runtimeBadges}>
                <InstallBadge status={status} />
                {fit.ok ? (
                  <Badge tone="outline">{fit.engines.join(', ')}</Badge>
                ) : (
                  <Badge tone="danger" icon="x">
                    Incompatible
                  </Badge>
                )}
              </span>
              <span className={styles.runtimeText} id={`runtime-${provider.id}-why`}>
                {why ??
                  `Can run ${fit.engines.join(' or ')} ${mode === 'disaggregated' ? 'disaggregated' : ''}`.trim()}
                {status && !installed && fit.ok && (
                  <InstallHint allowed={mayInstall(installPermissions, provider.id)} />
                )}
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
