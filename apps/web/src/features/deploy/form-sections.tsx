'use client';
// The Deploy form's sections below the runtime: engine and serving layout, name and
// namespace, and the advanced engine settings. Each control shows the shared schema's error
// for its field as the user types.
import { ENGINE_TYPES, type EngineType, type NodeGpuCapacity, type ServingMode } from '@airunway/schema';
import type { ReactNode } from 'react';
import { Card } from '~/components/card';
import { Field, Switch } from '~/components/field';
import { Icon } from '~/components/icon';
import { FitBadge } from '~/components/status-badges';
import type { DeployForm, RouterMode, WorkerForm } from '~/lib/deploy-form';
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

function NumberInput({
  value,
  onChange,
  min,
  max,
  ...control
}: {
  value: number;
  onChange: (value: number) => void;
  min: number;
  max: number;
  id: string;
}) {
  return (
    <input
      {...control}
      className="input"
      type="number"
      inputMode="numeric"
      min={min}
      max={max}
      step={1}
      value={Number.isFinite(value) ? value : ''}
      onChange={(e) => {
        onChange(e.target.value === '' ? Number.NaN : Number(e.target.value));
      }}
    />
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
      <Field label="Workers" error={error}>
        {(control) => (
          <NumberInput
            {...control}
            min={0}
            max={32}
            value={worker.replicas}
            onChange={(replicas) => {
              onChange({ ...worker, replicas });
            }}
          />
        )}
      </Field>
      <Field label="GPUs per worker">
        {(control) => (
          <NumberInput
            {...control}
            min={1}
            max={64}
            value={worker.gpus}
            onChange={(gpus) => {
              onChange({ ...worker, gpus });
            }}
          />
        )}
      </Field>
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
            <Field label="Replicas" error={errors.replicas} hint="0 keeps the deployment but stops its pods.">
              {(control) => (
                <NumberInput
                  {...control}
                  min={0}
                  max={32}
                  value={form.replicas}
                  onChange={(v) => {
                    set('replicas', v);
                  }}
                />
              )}
            </Field>
            <Field
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
            >
              {(control) => (
                <NumberInput
                  {...control}
                  min={0}
                  max={64}
                  value={form.gpus}
                  onChange={(v) => {
                    set('gpus', v);
                  }}
                />
              )}
            </Field>
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
          <Field
            label="Request routing"
            hint="KV-aware routing sends a request to the worker that already holds its prefix."
          >
            {(control) => (
              <select
                {...control}
                className="select"
                value={form.routerMode}
                onChange={(e) => {
                  set('routerMode', e.target.value as RouterMode);
                }}
              >
                <option value="default">Default</option>
                <option value="kv">KV-aware</option>
                <option value="round-robin">Round robin</option>
              </select>
            )}
          </Field>
        )}
      </div>
    </Card>
  );
}

export function PlacementSection({
  form,
  set,
  errors,
  gated,
  secretNote,
}: SectionProps & { gated: boolean; secretNote: ReactNode }) {
  return (
    <Card title="Name and access" description="Where the ModelDeployment is created and what it may read.">
      <div className={styles.stack}>
        <div className={styles.grid2}>
          <Field
            label="Name"
            error={errors.name}
            hint="Lowercase letters, digits and dashes; it names the Service too."
          >
            {(control) => (
              <input
                {...control}
                className="input"
                autoComplete="off"
                spellCheck={false}
                value={form.name}
                onChange={(e) => {
                  set('name', e.target.value);
                }}
              />
            )}
          </Field>
          <Field label="Namespace" error={errors.namespace}>
            {(control) => (
              <input
                {...control}
                className="input"
                autoComplete="off"
                spellCheck={false}
                value={form.namespace}
                onChange={(e) => {
                  set('namespace', e.target.value);
                }}
              />
            )}
          </Field>
        </div>
        <Field
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
        >
          {(control) => (
            <input
              {...control}
              className="input"
              autoComplete="off"
              spellCheck={false}
              placeholder="hf-token-secret"
              value={form.hfTokenSecret}
              onChange={(e) => {
                set('hfTokenSecret', e.target.value);
              }}
            />
          )}
        </Field>
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
            <Field
              label="Context length"
              optional
              error={errors.contextLength}
              hint={
                contextLength
                  ? `Tokens of prompt plus output; the model allows ${contextLength.toLocaleString('en')}.`
                  : 'Tokens of prompt plus output.'
              }
            >
              {(control) => (
                <input
                  {...control}
                  className="input"
                  inputMode="numeric"
                  placeholder={contextLength ? String(contextLength) : 'model default'}
                  value={form.contextLength}
                  onChange={(e) => {
                    set('contextLength', e.target.value);
                  }}
                />
              )}
            </Field>
            <Field
              label="Served model name"
              optional
              error={errors.servedModelName}
              hint="The “model” clients send; default: the last part of the id."
            >
              {(control) => (
                <input
                  {...control}
                  className="input"
                  spellCheck={false}
                  value={form.servedModelName}
                  onChange={(e) => {
                    set('servedModelName', e.target.value);
                  }}
                />
              )}
            </Field>
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
            <Field
              label="Engine arguments"
              optional
              error={errors.engineArgs}
              hint="One flag per line: gpu-memory-utilization=0.9, or --max-num-seqs 64."
            >
              {(control) => (
                <textarea
                  {...control}
                  className="textarea"
                  rows={4}
                  spellCheck={false}
                  value={form.engineArgs}
                  onChange={(e) => {
                    set('engineArgs', e.target.value);
                  }}
                />
              )}
            </Field>
            <Field
              label="Extra arguments"
              optional
              error={errors.engineExtraArgs}
              hint="Passed as they are, one per line."
            >
              {(control) => (
                <textarea
                  {...control}
                  className="textarea"
                  rows={4}
                  spellCheck={false}
                  value={form.engineExtraArgs}
                  onChange={(e) => {
                    set('engineExtraArgs', e.target.value);
                  }}
                />
              )}
            </Field>
          </div>
          <Field
            label="Image"
            optional
            error={errors.imageRef}
            hint="Replaces the provider’s engine image, e.g. a pinned vllm/vllm-openai tag."
          >
            {(control) => (
              <input
                {...control}
                className="input"
                spellCheck={false}
                placeholder="provider default"
                value={form.imageRef}
                onChange={(e) => {
                  set('imageRef', e.target.value);
                }}
              />
            )}
          </Field>
        </div>
      </details>
    </section>
  );
}
