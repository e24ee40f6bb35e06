'use client';
// Scale, edit and delete. Edits are sent as a dry run first, so the user sees which fields
// change and whether the provider objects will be recreated (an identity field changed) before
// anything happens.
import {
  MAX_REPLICAS,
  type DeploymentDetail,
  type UpdateDeploymentRequest,
  type UpdateDeploymentResponse,
} from '@airunway/schema';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '~/components/button';
import { Dialog } from '~/components/dialog';
import { NumberField, Switch, TextAreaField, TextField } from '~/components/field';
import { Icon } from '~/components/icon';
import { Notice } from '~/components/states';
import { ApiRequestError, describeError } from '~/lib/api-client';
import { formatEngineArgs, parseEngineArgs } from '~/lib/deploy-form';
import { useDeleteDeployment, useUpdateDeployment } from '~/lib/queries';
import styles from './deployment.module.css';

function fieldError(error: unknown, ...paths: string[]): string | undefined {
  if (!(error instanceof ApiRequestError)) return undefined;
  return error.fields.find((f) => paths.some((p) => f.path === p || f.path.startsWith(`${p}.`)))?.message;
}

function intOrNaN(text: string): number {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
}

const validReplicas = (n: number) => Number.isInteger(n) && n >= 0 && n <= MAX_REPLICAS;

export function ScaleDialog({
  d,
  open,
  onClose,
}: {
  d: DeploymentDetail;
  open: boolean;
  onClose: () => void;
}) {
  const update = useUpdateDeployment(d.namespace, d.name);
  const disaggregated = d.mode === 'disaggregated';
  const [replicas, setReplicas] = useState(d.spec.scaling.replicas ?? 1);
  const [prefill, setPrefill] = useState(d.spec.scaling.prefill?.replicas ?? 1);
  const [decode, setDecode] = useState(d.spec.scaling.decode?.replicas ?? 1);
  const values = disaggregated ? [prefill, decode] : [replicas];
  const invalid = values.some((v) => !validReplicas(v));
  const submit = () => {
    const body: UpdateDeploymentRequest = disaggregated
      ? { prefill: { replicas: prefill }, decode: { replicas: decode } }
      : { replicas };
    update.mutate(
      { body },
      {
        onSuccess: () => {
          onClose();
        },
      },
    );
  };
  const numberField = (label: string, value: number, set: (v: number) => void, path: string) => (
    <NumberField
      label={label}
      min={0}
      max={MAX_REPLICAS}
      value={value}
      onChange={set}
      error={
        fieldError(update.error, path) ??
        (validReplicas(value) ? undefined : `must be a whole number from 0 to ${MAX_REPLICAS}`)
      }
    />
  );
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Scale ${d.name}`}
      description="Replicas change in place: running pods keep serving while new ones start or old ones stop. 0 stops every pod but keeps the deployment."
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" onClick={submit} busy={update.isPending} disabled={invalid}>
            Scale
          </Button>
        </>
      }
    >
      <div className={styles.dialogFields}>
        {disaggregated ? (
          <>
            {numberField('Prefill workers', prefill, setPrefill, 'prefill')}
            {numberField('Decode workers', decode, setDecode, 'decode')}
          </>
        ) : (
          numberField('Replicas', replicas, setReplicas, 'replicas')
        )}
        {update.error !== null &&
          !(update.error instanceof ApiRequestError && update.error.fields.length > 0) && (
            <Notice tone="danger" role="alert">
              {describeError(update.error)}
            </Notice>
          )}
      </div>
    </Dialog>
  );
}

interface EditDraft {
  gpus: string;
  contextLength: string;
  imageRef: string;
  engineArgs: string;
  enablePrefixCaching: boolean;
  enforceEager: boolean;
}

function draftOf(d: DeploymentDetail): EditDraft {
  const { engine, resources } = d.spec;
  return {
    gpus: String(resources.gpu.count),
    contextLength: engine.contextLength !== undefined ? String(engine.contextLength) : '',
    imageRef: engine.image ?? d.spec.image ?? '',
    engineArgs: formatEngineArgs(engine.args),
    enablePrefixCaching: engine.enablePrefixCaching,
    enforceEager: engine.enforceEager,
  };
}

/** Only what the user changed, with null for what they cleared. */
function changes(before: EditDraft, after: EditDraft, disaggregated: boolean): UpdateDeploymentRequest {
  const body: UpdateDeploymentRequest = {};
  if (!disaggregated && after.gpus !== before.gpus) body.resources = { gpu: intOrNaN(after.gpus) };
  if (after.contextLength !== before.contextLength)
    body.contextLength = after.contextLength.trim() ? intOrNaN(after.contextLength) : null;
  if (after.imageRef !== before.imageRef) body.imageRef = after.imageRef.trim() || null;
  if (after.engineArgs !== before.engineArgs) {
    const { args } = parseEngineArgs(after.engineArgs);
    body.engineArgs = Object.keys(args).length > 0 ? args : null;
  }
  if (after.enablePrefixCaching !== before.enablePrefixCaching)
    body.enablePrefixCaching = after.enablePrefixCaching;
  if (after.enforceEager !== before.enforceEager) body.enforceEager = after.enforceEager;
  return body;
}

export function EditDialog({
  d,
  open,
  onClose,
}: {
  d: DeploymentDetail;
  open: boolean;
  onClose: () => void;
}) {
  const update = useUpdateDeployment(d.namespace, d.name);
  const [initial] = useState(() => draftOf(d));
  const [draft, setDraft] = useState(initial);
  const [review, setReview] = useState<UpdateDeploymentResponse | undefined>(undefined);
  const body = changes(initial, draft, d.mode === 'disaggregated');
  const badArgs = parseEngineArgs(draft.engineArgs).badLines;
  const set = <K extends keyof EditDraft>(key: K, value: EditDraft[K]) => {
    setDraft((x) => ({ ...x, [key]: value }));
    setReview(undefined);
  };
  const check = () => {
    update.mutate({ body, dryRun: true }, { onSuccess: setReview });
  };
  const apply = () => {
    update.mutate({ body }, { onSuccess: onClose });
  };
  const error = update.error;
  const text = (label: string, key: 'gpus' | 'contextLength' | 'imageRef', path: string, hint?: string) => (
    <TextField
      label={label}
      error={fieldError(error, path)}
      hint={hint}
      spellCheck={false}
      value={draft[key]}
      onChange={(v) => {
        set(key, v);
      }}
    />
  );
  return (
    <Dialog
      open={open}
      onClose={onClose}
      wide
      title={`Edit ${d.name}`}
      description="Changes are checked with a dry run first. Engine settings roll out in place; the model, engine, provider and serving mode cannot change without recreating the deployment."
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          {review ? (
            <Button variant={review.recreate ? 'danger' : 'primary'} onClick={apply} busy={update.isPending}>
              {review.recreate ? 'Apply and recreate' : 'Apply changes'}
            </Button>
          ) : (
            <Button
              variant="primary"
              onClick={check}
              busy={update.isPending}
              disabled={Object.keys(body).length === 0 || badArgs.length > 0}
            >
              Review changes
            </Button>
          )}
        </>
      }
    >
      <div className={styles.dialogFields}>
        {d.mode === 'aggregated' && text('GPUs per replica', 'gpus', 'resources.gpu')}
        {text('Context length', 'contextLength', 'contextLength', 'Empty: what the model declares.')}
        {text('Image', 'imageRef', 'imageRef', 'Empty: the provider’s default image.')}
        <TextAreaField
          label="Engine arguments"
          error={
            badArgs.length > 0 ? `Line ${badArgs.join(', ')} is not a flag` : fieldError(error, 'engineArgs')
          }
          hint="One flag per line: name=value."
          rows={4}
          spellCheck={false}
          value={draft.engineArgs}
          onChange={(v) => {
            set('engineArgs', v);
          }}
        />
        <Switch
          label="Prefix caching"
          checked={draft.enablePrefixCaching}
          onChange={(v) => {
            set('enablePrefixCaching', v);
          }}
        />
        <Switch
          label="Enforce eager"
          checked={draft.enforceEager}
          onChange={(v) => {
            set('enforceEager', v);
          }}
        />
        {review && (
          <Notice
            tone={review.recreate ? 'warning' : 'info'}
            title={review.recreate ? 'This recreates the deployment' : 'Ready to apply'}
            role="status"
          >
            {review.changed.length === 0 ? (
              'Nothing would change.'
            ) : (
              <>
                Changes: <span className="mono">{review.changed.join(', ')}</span>.
                {review.recreate &&
                  ` ${review.identityChanges.join(', ')} changed: the provider objects are deleted and created again, with a short downtime.`}
              </>
            )}
          </Notice>
        )}
        {error !== null && !(error instanceof ApiRequestError && error.fields.length > 0) && (
          <Notice tone="danger" role="alert">
            {describeError(error)}
          </Notice>
        )}
      </div>
    </Dialog>
  );
}

export function DeleteDialog({
  d,
  open,
  onClose,
}: {
  d: DeploymentDetail;
  open: boolean;
  onClose: () => void;
}) {
  const remove = useDeleteDeployment();
  const router = useRouter();
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Delete ${d.name}?`}
      description={`The ModelDeployment in ${d.namespace} and everything the operator created for it (pods, Services, provider objects) are removed. This cannot be undone.`}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="danger"
            busy={remove.isPending}
            onClick={() => {
              remove.mutate(
                { namespace: d.namespace, name: d.name },
                {
                  onSuccess: () => {
                    router.push(`/deployments?deleted=${encodeURIComponent(d.name)}`);
                  },
                },
              );
            }}
          >
            <Icon name="trash" size={14} />
            Delete
          </Button>
        </>
      }
    >
      {remove.error !== null && (
        <Notice tone="danger" role="alert">
          {describeError(remove.error)}
        </Notice>
      )}
    </Dialog>
  );
}
