'use client';
// Deploy: a guided form for one model. Every change is validated with the shared schema as it
// is typed, then sent to the API as a dry run, which answers with the ModelDeployment as the
// apiserver would store it, the provider objects, the provider and engine the operator would
// choose, and whether the pods fit on the nodes now.
import {
  HF_TOKEN_SECRET_NAME,
  type CreateDeploymentRequest,
  type EngineType,
  type HfSecretStatusResponse,
  type ServingMode,
} from '@airunway/schema';
import { useQuery } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useMemo, useState } from 'react';
import { Badge } from '~/components/badge';
import { Button } from '~/components/button';
import { Card } from '~/components/card';
import { Icon } from '~/components/icon';
import { PageHeader } from '~/components/page-header';
import { ErrorState, Notice, Skeleton } from '~/components/states';
import { ApiRequestError, api } from '~/lib/api-client';
import { defaultDeployForm, formToRequest, requestToForm, type DeployForm } from '~/lib/deploy-form';
import { contextLabel, gbLabel } from '~/lib/format';
import type { ModelView } from '~/lib/model-view';
import {
  useCreateDeployment,
  useDeploymentPermissions,
  useInstallationPermissions,
  useDryRun,
  useGatewayStatus,
  useGpuCapacity,
  useRuntimes,
  useSettings,
} from '~/lib/queries';
import { useDebouncedValue } from '~/lib/use-debounced-value';
import { engineName } from '../models/model-card';
import styles from './deploy-screen.module.css';
import { DryRunPanel } from './dry-run-panel';
import { AdvancedSection, PlacementSection, ServingSection, type SetField } from './form-sections';
import { compatibility, type ProviderOption } from './provider-options';
import { RuntimePicker } from './runtime-picker';
import { useModelInfo } from './use-model-info';
import { fieldErrorsOf, validateDeployForm } from './validation';

// The manifests below the form carry the YAML library and the ModelDeployment schema's parser:
// loaded after the form, so the screen is usable before they arrive. Until then, the card's
// frame holds their place.
const ManifestPreview = dynamic(() => import('./manifest-preview').then((m) => m.ManifestPreview), {
  ssr: false,
  loading: () => (
    <Card
      className={styles.preview}
      title="Manifests"
      description="What will be created in the cluster, as the apiserver would store it."
    >
      <Skeleton height={220} />
    </Card>
  ),
});

function ModelSummary({ model }: { model: ModelView }) {
  return (
    <Card title={model.name} description={<span className="mono">{model.id}</span>}>
      <div className={styles.modelFacts}>
        {model.size && <Badge tone="neutral">{model.size} parameters</Badge>}
        {model.contextLength && <Badge tone="neutral">{contextLabel(model.contextLength)} context</Badge>}
        {model.estimatedGpuMemoryGb !== undefined && (
          <Badge tone="neutral">≈ {gbLabel(model.estimatedGpuMemoryGb)} GPU memory</Badge>
        )}
        {model.supportedEngines.map((e) => (
          <Badge key={e} tone="outline">
            {engineName(e)}
          </Badge>
        ))}
        {model.gated && (
          <Badge tone="warning" icon="lock">
            Gated
          </Badge>
        )}
      </div>
    </Card>
  );
}

/** Whether the HuggingFace token Secret exists in the chosen namespace, when the API can tell. */
function useSecretNote(namespace: string, secret: string) {
  const status = useQuery({
    queryKey: ['hf-secret-status'],
    queryFn: ({ signal }) => api<HfSecretStatusResponse>('/secrets/huggingface/status', { signal }),
    staleTime: 60_000,
    retry: false,
  });
  if (secret !== HF_TOKEN_SECRET_NAME || !status.data) return null;
  const entry = status.data.namespaces.find((n) => n.name === namespace);
  if (!entry) return <>Save a token in Settings to create it.</>;
  return entry.exists ? (
    <>
      Secret {secret} exists in {namespace}.
    </>
  ) : (
    <>
      Secret {secret} is missing in {namespace}: <Link href="/settings">save a token in Settings</Link>.
    </>
  );
}

function DeployWorkbench({
  model,
  providers,
  defaultNamespace,
}: {
  model: ModelView;
  providers: readonly ProviderOption[];
  defaultNamespace: string;
}) {
  const router = useRouter();
  const [form, setForm] = useState<DeployForm>(() => ({
    ...defaultDeployForm(model.id, defaultNamespace, model.minGpus ?? 1),
    hfTokenSecret: model.gated ? HF_TOKEN_SECRET_NAME : '',
  }));
  const [yamlNote, setYamlNote] = useState<string | undefined>(undefined);
  const set: SetField = useCallback((key, value) => {
    setForm((f) => ({ ...f, [key]: value }));
  }, []);

  const runtimes = useRuntimes();
  const installPermissions = useInstallationPermissions();
  const capacity = useGpuCapacity();
  // What "Automatic" routing means here: through the cluster's Gateway if it has one.
  const gatewayStatus = useGatewayStatus();
  const create = useCreateDeployment();
  const request = useMemo(() => formToRequest(form), [form]);
  const validation = useMemo(() => validateDeployForm(form, request), [form, request]);
  const settled = useDebouncedValue(validation.valid ? request : undefined, 400);
  const dryRun = useDryRun(settled);
  // Whether the user may deploy into the namespace typed, asked once it has settled.
  const permissions = useDeploymentPermissions(
    useDebouncedValue(validation.errors.namespace ? undefined : form.namespace, 400),
  );
  const mayCreate = permissions.data?.namespace === form.namespace ? permissions.data.create : undefined;
  const apiErrors = dryRun.error instanceof ApiRequestError ? fieldErrorsOf(dryRun.error.fields) : {};
  const errors = { ...apiErrors, ...validation.errors };

  const gpu = form.mode === 'disaggregated' || form.gpus > 0;
  const installed = new Set(runtimes.data?.runtimes.filter((r) => r.installed).map((r) => r.id));
  const candidates =
    form.provider === 'auto'
      ? providers.filter((p) => installed.has(p.id))
      : providers.filter((p) => p.id === form.provider);
  const engines = useMemo(() => {
    const set = new Set<EngineType>();
    for (const p of candidates)
      for (const e of compatibility(p, model.supportedEngines, form.mode, gpu).engines) set.add(e);
    return [...set];
  }, [candidates, model.supportedEngines, form.mode, gpu]);
  const modes = useMemo(() => {
    const out: ServingMode[] = ['aggregated'];
    if (candidates.some((p) => compatibility(p, model.supportedEngines, 'disaggregated', true).ok))
      out.push('disaggregated');
    return out;
  }, [candidates, model.supportedEngines]);
  const secretNote = useSecretNote(form.namespace, form.hfTokenSecret);

  const deploy = () => {
    if (!validation.valid || mayCreate?.allowed === false) return;
    create.mutate(request, {
      onSuccess: (created) => {
        router.push(
          `/deployments/${encodeURIComponent(created.namespace)}/${encodeURIComponent(created.name)}?created=1`,
        );
      },
    });
  };

  const applyYaml = (next: CreateDeploymentRequest, ignored: readonly string[]) => {
    setForm((f) => requestToForm({ ...next, modelId: next.modelId || f.modelId }, f));
    setYamlNote(
      next.modelId && next.modelId.toLowerCase() !== model.id.toLowerCase()
        ? `The YAML names another model (${next.modelId}); the summary above still describes ${model.id}.`
        : ignored.length > 0
          ? `Applied, except: ${ignored.join(', ')}.`
          : 'Applied: the form now shows the edited YAML.',
    );
  };

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/models" className={styles.back}>
            <Icon name="arrowLeft" size={14} /> Models
          </Link>
        }
        title={`Deploy ${model.name}`}
        description="Choose how to serve it. The review on the right is a dry run against the live cluster."
      />
      <div className={styles.layout}>
        <form
          className={styles.form}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            deploy();
          }}
          aria-label="Deployment settings"
        >
          <ModelSummary model={model} />
          {yamlNote && (
            <Notice tone="info" role="status">
              {yamlNote}
            </Notice>
          )}
          <Card title="Runtime" description="The provider that turns the ModelDeployment into running pods.">
            {runtimes.error ? (
              <ErrorState title="Runtimes could not be checked" error={runtimes.error} />
            ) : (
              <RuntimePicker
                providers={providers}
                runtimes={runtimes.data?.runtimes}
                modelEngines={model.supportedEngines}
                mode={form.mode}
                gpu={gpu}
                value={form.provider}
                onChange={(v) => {
                  set('provider', v);
                }}
                installPermissions={installPermissions.error ? null : installPermissions.data}
              />
            )}
          </Card>
          <ServingSection
            form={form}
            set={set}
            errors={errors}
            engines={engines}
            modes={modes}
            model={model}
            nodes={capacity.data?.nodes}
          />
          <PlacementSection
            form={form}
            set={set}
            errors={errors}
            gated={model.gated}
            secretNote={secretNote}
            gateway={gatewayStatus.data?.gateway}
          />
          <AdvancedSection
            form={form}
            set={set}
            errors={errors}
            {...(model.contextLength ? { contextLength: model.contextLength } : {})}
          />
          {errors.yaml && (
            <Notice tone="danger" title="A setting from the YAML is invalid">
              {errors.yaml}
            </Notice>
          )}
          {/* Enter in a field submits like the Deploy button does. */}
          <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
        </form>
        <aside className={styles.side} aria-label="Review">
          <DryRunPanel
            dryRun={dryRun.data}
            nodes={capacity.data?.nodes}
            error={dryRun.error}
            checking={dryRun.isFetching}
            clientValid={validation.valid}
            namespace={form.namespace}
            mayCreate={mayCreate}
            deploying={create.isPending}
            deployError={create.error}
            onDeploy={deploy}
          />
        </aside>
      </div>
      <ManifestPreview
        dryRun={validation.valid ? dryRun.data : undefined}
        refused={
          mayCreate?.allowed === false ? { namespace: form.namespace, reason: mayCreate.reason } : undefined
        }
        onApplyYaml={applyYaml}
      />
    </>
  );
}

export function DeployScreen({
  modelId,
  providers,
}: {
  modelId: string;
  providers: readonly ProviderOption[];
}) {
  const model = useModelInfo(modelId);
  const settings = useSettings();
  if (model.error)
    return (
      <ErrorState
        title="The model could not be loaded"
        error={model.error}
        actions={<Button onClick={() => void model.refetch()}>Try again</Button>}
      />
    );
  if (!model.data || settings.isPending)
    return (
      <div style={{ display: 'grid', gap: 16 }} aria-busy="true">
        <Skeleton width={280} height={26} />
        <Skeleton height={120} />
        <Skeleton height={220} />
      </div>
    );
  return (
    <DeployWorkbench
      model={model.data}
      providers={providers}
      defaultNamespace={settings.data?.config.defaultNamespace ?? 'default'}
    />
  );
}
