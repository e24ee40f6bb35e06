'use client';
// The Deploy form's sections below the runtime: engine and serving layout, name, namespace
// and routing through the inference Gateway, and the advanced engine settings. Each control shows the shared schema's error
// for its field as the user types.
import {
  ENGINE_TYPES,
  type EngineType,
  type GatewayStatusResponse,
  type NodeGpuCapacity,
  type ServingMode,
} from '@airunway/schema';
import type { ReactNode } from 'react';
import { Card } from '~/components/card';
import { NumberField, SelectField, Switch, TextAreaField, TextField } from '~/components/field';
import { Icon } from '~/components/icon';
import { FitBadge } from '~/components/status-badges';
import {
  servedNameOf,
  type DeployForm,
  type GatewayRouting,
  type RouterMode,
  type WorkerForm,
} from '~/lib/deploy-form';
import { modelFit } from '~/lib/gpu-fit';
import type { ModelView } from '~/lib/model-view';
import { engineName } from '../models/model-card';
import styles from './deploy-screen.module.css';
import type { FieldErrors } from './validation';

export type SetField = <K extends keyof DeployForm>(key: K, value: DeployForm[K]) => void;

interface SectionProps {
  form: DeployForm;
  set: SetField;
  errors: FieldErrors;
}

function Choices<T extends string>({
  legend,
  name,
  options,
  value,
  onChange,
  hint,
}: {
  legend: string;
  name: string;
  options: readonly { value: T; label: ReactNode; disabled?: boolean; title?: string }[];
  value: T;
  onChange: (value: T) => void;
  hint?: ReactNode;
}) {
  return (
    <fieldset className={styles.fieldset}>
      <legend className={styles.legend}>{legend}</legend>
      <div className={styles.choices}>
        {options.map((option) => (
          <label key={option.value} className={styles.choice} title={option.title}>
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              disabled={option.disabled}
              onChange={() => {
                onChange(option.value);
              }}
            />
            {option.label}
          </label>
        ))}
      </div>
      {hint && (
        <p className="muted" style={{ marginTop: 6, fontSize: 12.5 }}>
          {hint}
        </p>
      )}
    </fieldset>
  );
}

function WorkerFields({
  title,
  worker,
  onChange,
  error,
}: {
  title: string;
  worker: WorkerForm;
  onChange: (worker: WorkerForm) => void;
  error: string | undefined;
}) {
  return (
    <div className={styles.worker}>
      <p className={styles.workerTitle}>{title}</p>
      <NumberField
        label="Workers"
        error={error}
        min={0}
        max={32}
        value={worker.replicas}
        onChange={(replicas) => {
          onChange({ ...worker, replicas });
        }}
      />
      <NumberField
        label="GPUs per worker"
        min={1}
        max={64}
        value={worker.gpus}
        onChange={(gpus) => {
          onChange({ ...worker, gpus });
        }}
      />
    </div>
  );
}

export function ServingSection({
  form,
  set,
  errors,
  engines,
  modes,
  model,
  nodes,
}: SectionProps & {
  /** Engines the model can run on the chosen (or any installed) provider. */
  engines: readonly EngineType[];
  modes: readonly ServingMode[];
  model: ModelView;
  nodes: readonly NodeGpuCapacity[] | undefined;
}) {
  const fit =
    nodes && form.mode === 'aggregated' && form.gpus > 0
      ? modelFit(
          { memoryGb: model.estimatedGpuMemoryGb, minGpus: model.minGpus, gpusPerReplica: form.gpus },
          nodes,
        )
      : undefined;
  return (
    <Card title="Engine and serving" description="How the model is served and on how many GPUs.">
      <div className={styles.stack}>
        <Choices<EngineType | 'auto'>
          legend="Engine"
          name="engine"
          value={form.engine}
          onChange={(v) => {
            set('engine', v);
          }}
          options={[
            { value: 'auto', label: 'Automatic' },
            ...ENGINE_TYPES.filter((e) => model.supportedEngines.includes(e)).map((e) => ({
              value: e,
              label: engineName(e),
              disabled: !engines.includes(e),
              ...(!engines.includes(e)
                ? { title: 'No installed provider runs this engine in this mode' }
                : {}),
            })),
          ]}
          hint={
            form.engine === 'auto'
              ? 'The operator chooses vLLM, SGLang, TensorRT-LLM or llama.cpp, in that order, among what the provider supports.'
              : undefined
          }
        />
        <Choices<ServingMode>
          legend="Serving mode"
          name="mode"
          value={form.mode}
          onChange={(v) => {
            set('mode', v);
          }}
          options={[
            { value: 'aggregated', label: 'Aggregated' },
            {
              value: 'disaggregated',
              label: 'Disaggregated prefill / decode',
              disabled: !modes.includes('disaggregated'),
              ...(!modes.includes('disaggregated') ? { title: 'Needs NVIDIA Dynamo or llm-d' } : {}),
            },
          ]}
          hint={
            form.mode === 'disaggregated'
              ? 'Prompts are processed by prefill workers, which hand the KV cache to decode workers.'
              : 'Every replica runs the whole model.'
          }
        />
        {form.mode === 'aggregated' ? (
          <div className={styles.grid2}>
            <NumberField
              label="Replicas"
              error={errors.replicas}
              hint="0 keeps the deployment but stops its pods."
              min={0}
              max={32}
              value={form.replicas}
              onChange={(v) => {
                set('replicas', v);
              }}
            />
            <NumberField
              label="GPUs per replica"
              error={errors.gpus}
              hint={
                fit ? (
                  <span style={{ display: 'inline-flex', gap: 6, alignItems: 'center', flexWrap: 'wrap' }}>
                    <FitBadge level={fit.level} /> {fit.headline}
                  </span>
                ) : form.gpus === 0 ? (
                  'Runs on CPU: only KAITO with llama.cpp serves models without GPUs.'
                ) : (
                  'Several GPUs shard the model (tensor parallelism).'
                )
              }
              min={0}
              max={64}
              value={form.gpus}
              onChange={(v) => {
                set('gpus', v);
              }}
            />
          </div>
        ) : (
          <div className={styles.workers}>
            <WorkerFields
              title="Prefill workers"
              worker={form.prefill}
              error={errors.prefill}
              onChange={(w) => {
                set('prefill', w);
              }}
            />
            <WorkerFields
              title="Decode workers"
              worker={form.decode}
              error={errors.decode}
              onChange={(w) => {
                set('decode', w);
              }}
            />
          </div>
        )}
        {form.provider === 'dynamo' && (
          <SelectField<RouterMode>
            label="Request routing"
            hint="KV-aware routing sends a request to the worker that already holds its prefix."
            value={form.routerMode}
            onChange={(v) => {
              set('routerMode', v);
            }}
            options={[
              { value: 'default', label: 'Default' },
              { value: 'kv', label: 'KV-aware' },
              { value: 'round-robin', label: 'Round robin' },
            ]}
          />
        )}
      </div>
    </Card>
  );
}

/** Where the cluster's Gateway is, in words: "inference-system/inference at http://10.0.0.50". */
function gatewayWhere(status: GatewayStatusResponse): string {
  const name = status.gateway ? `${status.gateway.namespace}/${status.gateway.name}` : 'the Gateway';
  return status.endpoint ? `${name} at ${status.endpoint}` : `${name} (it has no address yet)`;
}

/**
 * What the chosen routing means in this cluster now. `status` is undefined while the API has
 * not answered (or could not tell), and the hint then says what the choice means in general.
 */
function gatewayHint(routing: GatewayRouting, status: GatewayStatusResponse | undefined): string {
  if (routing === 'off') return 'Served through its Service only, even when the cluster has a Gateway.';
  if (!status)
    return routing === 'auto'
      ? 'Routed through the cluster’s inference Gateway when there is one, else served through its Service only.'
      : 'Routed through the cluster’s inference Gateway; served through its Service only until there is one.';
  if (status.available) return `Routed through ${gatewayWhere(status)}, and served through its Service too.`;
  return routing === 'auto'
    ? 'No Gateway in the cluster: served through its Service only.'
    : 'No Gateway in the cluster: served through its Service only, and routed once a Gateway exists.';
}

export function PlacementSection({
  form,
  set,
  errors,
  gated,
  secretNote,
  gateway,
}: SectionProps & {
  gated: boolean;
  secretNote: ReactNode;
  /** The cluster's inference Gateway, once the API has said. */
  gateway: GatewayStatusResponse | undefined;
}) {
  return (
    <Card
      title="Name and access"
      description="Where the ModelDeployment is created, what it may read and how clients reach it."
    >
      <div className={styles.stack}>
        <div className={styles.grid2}>
          <TextField
            label="Name"
            error={errors.name}
            hint="Lowercase letters, digits and dashes; it names the Service too."
            autoComplete="off"
            spellCheck={false}
            value={form.name}
            onChange={(v) => {
              set('name', v);
            }}
          />
          <TextField
            label="Namespace"
            error={errors.namespace}
            autoComplete="off"
            spellCheck={false}
            value={form.namespace}
            onChange={(v) => {
              set('namespace', v);
            }}
          />
        </div>
        <TextField
          label="HuggingFace token Secret"
          optional={!gated}
          error={errors.hfTokenSecret}
          hint={
            <>
              {gated
                ? 'This model is gated: its pods need a HuggingFace token. Name a Secret in the namespace whose HF_TOKEN key holds it. '
                : 'Only needed for gated or private models. '}
              {secretNote}
            </>
          }
          autoComplete="off"
          spellCheck={false}
          placeholder="hf-token-secret"
          value={form.hfTokenSecret}
          onChange={(v) => {
            set('hfTokenSecret', v);
          }}
        />
        <Choices<GatewayRouting>
          legend="Inference Gateway"
          name="gateway"
          value={form.gateway}
          onChange={(v) => {
            set('gateway', v);
          }}
          options={[
            { value: 'auto', label: 'Automatic' },
            { value: 'on', label: 'On' },
            { value: 'off', label: 'Off' },
          ]}
          hint={gatewayHint(form.gateway, gateway)}
        />
        {form.gateway !== 'off' && (
          <TextField
            label="Model name at the Gateway"
            optional
            error={errors.gatewayModelName}
            hint="The “model” clients send through the Gateway, rewritten to the served name on the way."
            autoComplete="off"
            spellCheck={false}
            placeholder={servedNameOf(form)}
            value={form.gatewayModelName}
            onChange={(v) => {
              set('gatewayModelName', v);
            }}
          />
        )}
      </div>
    </Card>
  );
}

export function AdvancedSection({
  form,
  set,
  errors,
  contextLength,
}: SectionProps & { contextLength?: number }) {
  const count =
    [form.contextLength, form.engineArgs, form.engineExtraArgs, form.imageRef, form.servedModelName].filter(
      (v) => v.trim(),
    ).length +
    (form.enforceEager ? 1 : 0) +
    (form.trustRemoteCode ? 1 : 0) +
    (form.enablePrefixCaching ? 0 : 1);
  const hasError = Boolean(
    errors.contextLength ??
    errors.engineArgs ??
    errors.engineExtraArgs ??
    errors.imageRef ??
    errors.servedModelName ??
    errors.trustRemoteCode,
  );
  return (
    <section className="advanced-card" aria-label="Advanced options">
      <details
        className={styles.advanced}
        open={hasError || undefined}
        style={{
          border: '1px solid var(--border)',
          borderRadius: 'var(--radius-lg)',
          background: 'var(--surface)',
        }}
      >
        <summary>
          <Icon name="chevronRight" />
          Advanced options
          {count > 0 && (
            <span className="muted" style={{ fontWeight: 400 }}>
              ({count} changed)
            </span>
          )}
        </summary>
        <div className={styles.advancedBody}>
          <div className={styles.grid2}>
            <TextField
              label="Context length"
              optional
              error={errors.contextLength}
              hint={
                contextLength
                  ? `Tokens of prompt plus output; the model allows ${contextLength.toLocaleString('en')}.`
                  : 'Tokens of prompt plus output.'
              }
              inputMode="numeric"
              placeholder={contextLength ? String(contextLength) : 'model default'}
              value={form.contextLength}
              onChange={(v) => {
                set('contextLength', v);
              }}
            />
            <TextField
              label="Served model name"
              optional
              error={errors.servedModelName}
              hint="The “model” clients send; default: the last part of the id."
              spellCheck={false}
              value={form.servedModelName}
              onChange={(v) => {
                set('servedModelName', v);
              }}
            />
          </div>
          <div className={styles.grid3}>
            <Switch
              label="Prefix caching"
              description="Reuse the KV cache of shared prompt prefixes."
              checked={form.enablePrefixCaching}
              onChange={(v) => {
                set('enablePrefixCaching', v);
              }}
            />
            <Switch
              label="Enforce eager"
              description="No CUDA graphs: starts faster, serves slower."
              checked={form.enforceEager}
              onChange={(v) => {
                set('enforceEager', v);
              }}
            />
            <Switch
              label="Trust remote code"
              description="Run Python code from the model repository (vLLM, SGLang)."
              checked={form.trustRemoteCode}
              onChange={(v) => {
                set('trustRemoteCode', v);
              }}
            />
          </div>
          {errors.trustRemoteCode && <p className="muted">{errors.trustRemoteCode}</p>}
          <div className={styles.grid2}>
            <TextAreaField
              label="Engine arguments"
              optional
              error={errors.engineArgs}
              hint="One flag per line: gpu-memory-utilization=0.9, or --max-num-seqs 64."
              rows={4}
              spellCheck={false}
              value={form.engineArgs}
              onChange={(v) => {
                set('engineArgs', v);
              }}
            />
            <TextAreaField
              label="Extra arguments"
              optional
              error={errors.engineExtraArgs}
              hint="Passed as they are, one per line."
              rows={4}
              spellCheck={false}
              value={form.engineExtraArgs}
              onChange={(v) => {
                set('engineExtraArgs', v);
              }}
            />
          </div>
          <TextField
            label="Image"
            optional
            error={errors.imageRef}
            hint="Replaces the provider’s engine image, e.g. a pinned vllm/vllm-openai tag."
            spellCheck={false}
            placeholder="provider default"
            value={form.imageRef}
            onChange={(v) => {
              set('imageRef', v);
            }}
          />
        </div>
      </details>
    </section>
  );
}
