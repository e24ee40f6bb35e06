'use client';
// The manifests a deploy would create: the ModelDeployment as editable YAML (edits are checked
// with the shared schema and flow back into the form) and the provider's objects, read-only,
// exactly as the operator would apply them.
import { parseModelDeployment, type DryRunResponse } from '@airunway/schema';
import { useState } from 'react';
import { parse } from 'yaml';
import { Button } from '~/components/button';
import { Card } from '~/components/card';
import { CodeBlock } from '~/components/code-block';
import { FieldError } from '~/components/field';
import { EmptyState, Notice } from '~/components/states';
import { Tabs } from '~/components/tabs';
import { modelDeploymentToRequest } from '~/lib/deploy-form';
import { cleanManifest, toYaml } from '~/lib/manifest-yaml';
import type { CreateDeploymentRequest } from '@airunway/schema';
import styles from './deploy-screen.module.css';

function YamlEditor({
  generated,
  onApply,
}: {
  generated: string;
  onApply: (request: CreateDeploymentRequest, ignored: readonly string[]) => void;
}) {
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const [errors, setErrors] = useState<readonly string[]>([]);
  const [ignored, setIgnored] = useState<readonly string[]>([]);
  const text = draft ?? generated;
  const apply = () => {
    let object: unknown;
    try {
      object = parse(text);
    } catch (err) {
      setErrors([`YAML: ${err instanceof Error ? err.message : String(err)}`]);
      return;
    }
    const parsed = parseModelDeployment(object);
    if (!parsed.success) {
      setErrors(parsed.errors.map((e) => `${e.path || '(object)'}: ${e.message}`));
      return;
    }
    const mapped = modelDeploymentToRequest(parsed.data);
    if (!mapped.ok) {
      setErrors(mapped.errors);
      return;
    }
    setErrors([]);
    setIgnored(mapped.ignored);
    setDraft(undefined);
    onApply(mapped.request, mapped.ignored);
  };
  return (
    <div>
      <label htmlFor="md-yaml" className="visually-hidden">
        ModelDeployment YAML
      </label>
      <textarea
        id="md-yaml"
        className={`textarea ${styles.yaml}`}
        spellCheck={false}
        value={text}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby="md-yaml-help"
        onChange={(e) => {
          setDraft(e.target.value);
        }}
        rows={Math.min(40, Math.max(16, text.split('\n').length + 1))}
      />
      <div className={styles.yamlActions}>
        <Button variant="primary" size="small" disabled={draft === undefined} onClick={apply}>
          Apply YAML to the form
        </Button>
        <Button
          size="small"
          disabled={draft === undefined}
          onClick={() => {
            setDraft(undefined);
            setErrors([]);
          }}
        >
          Discard edits
        </Button>
        <span className="muted" id="md-yaml-help" style={{ fontSize: 12.5 }}>
          {draft === undefined
            ? 'Generated from the form. Edit it for anything the form does not show (node selector, tolerations, env).'
            : 'Edited: apply to check it against the ModelDeployment schema and update the form.'}
        </span>
      </div>
      {errors.length > 0 && (
        <div role="alert" style={{ marginTop: 10, display: 'grid', gap: 4 }}>
          {errors.map((e) => (
            <FieldError key={e}>{e}</FieldError>
          ))}
        </div>
      )}
      {ignored.length > 0 && errors.length === 0 && (
        <Notice tone="warning" title="Not kept: the create API cannot set these" className="yaml-ignored">
          {ignored.join(', ')}
        </Notice>
      )}
    </div>
  );
}

export function ManifestPreview({
  dryRun,
  refused,
  onApplyYaml,
}: {
  dryRun: DryRunResponse | undefined;
  /** Set when the user may not deploy to the namespace: the dry run is refused as well. */
  refused: { namespace: string; reason: string | undefined } | undefined;
  onApplyYaml: (request: CreateDeploymentRequest, ignored: readonly string[]) => void;
}) {
  const [tab, setTab] = useState<'md' | 'objects'>('md');
  const generated = dryRun ? toYaml(cleanManifest(dryRun.modelDeployment)) : '';
  return (
    <Card
      className={styles.preview}
      title="Manifests"
      description="What will be created in the cluster, as the apiserver would store it."
    >
      <Tabs
        label="Manifests"
        selected={tab}
        onSelect={setTab}
        items={[
          { key: 'md', label: 'ModelDeployment' },
          {
            key: 'objects',
            label: 'Provider objects',
            ...(dryRun ? { count: dryRun.resources.length } : {}),
          },
        ]}
      >
        {refused ? (
          // Said here too, or the empty preview would look like one still on its way.
          <EmptyState icon="lock" title={`No preview: you cannot deploy to namespace ${refused.namespace}`}>
            The preview is a dry run of the deploy, which Kubernetes refuses for the same reason:{' '}
            {refused.reason ?? 'you may not create deployments there'}.
          </EmptyState>
        ) : !dryRun ? (
          <EmptyState icon="deployments" title="No preview yet">
            The preview appears once the form is valid and the dry run has answered.
          </EmptyState>
        ) : tab === 'md' ? (
          <YamlEditor key={generated} generated={generated} onApply={onApplyYaml} />
        ) : dryRun.resources.length === 0 ? (
          <EmptyState title="No objects">The operator would create nothing for this spec.</EmptyState>
        ) : (
          <div className={styles.objects}>
            {dryRun.resources.map((r) => (
              <CodeBlock
                key={`${r.kind}/${r.name}`}
                code={toYaml(cleanManifest(r.manifest))}
                label={`${r.kind} ${r.name} (${r.apiVersion})`}
                maxHeight={360}
              />
            ))}
          </div>
        )}
      </Tabs>
    </Card>
  );
}
