'use client';
import { Badge } from '~/components/badge';
import { ButtonLink } from '~/components/button';
import { Icon } from '~/components/icon';
import { FitBadge } from '~/components/status-badges';
import { compactNumber, contextLabel, gbLabel } from '~/lib/format';
import type { ModelFit } from '~/lib/gpu-fit';
import type { ModelView } from '~/lib/model-view';
import styles from './model-card.module.css';

const ENGINE_NAMES: Readonly<Record<string, string>> = {
  vllm: 'vLLM',
  sglang: 'SGLang',
  trtllm: 'TensorRT-LLM',
  llamacpp: 'llama.cpp',
};

export function engineName(engine: string): string {
  return ENGINE_NAMES[engine] ?? engine;
}

function FitSummary({
  fit,
  capacityError,
}: {
  fit: ModelFit | undefined;
  capacityError: string | undefined;
}) {
  if (capacityError)
    return (
      <div className={styles.fitHead}>
        <FitBadge level="unknown" />
        <span className={styles.fitText}>GPU capacity unavailable: {capacityError}</span>
      </div>
    );
  if (!fit)
    return (
      <div className={styles.fitHead}>
        <span className={styles.fitText}>Checking the cluster’s GPUs…</span>
      </div>
    );
  return (
    <>
      <div className={styles.fitHead}>
        <FitBadge level={fit.level} />
        <span className={styles.fitText}>{fit.headline}</span>
      </div>
      {fit.nodes.length > 0 && (
        <details className={styles.details}>
          <summary>Fit on each GPU node ({fit.nodes.length})</summary>
          <ul className={styles.nodes}>
            {fit.nodes.map((node) => (
              <li key={node.node} className={styles.node}>
                <FitBadge level={node.level} />
                <span className={styles.nodeName}>{node.node}</span>
                <span className={styles.nodeReason}>{node.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

export function ModelCard({
  model,
  fit,
  capacityError,
}: {
  model: ModelView;
  fit: ModelFit | undefined;
  capacityError: string | undefined;
}) {
  const titleId = `model-${model.id.replace(/[^A-Za-z0-9]/g, '-')}`;
  return (
    <article className={styles.card} aria-labelledby={titleId} data-model-id={model.id}>
      <div className={styles.top}>
        <div className={styles.titles}>
          <h3 className={styles.name} id={titleId}>
            {model.name}
          </h3>
          <span className={styles.id}>{model.id}</span>
        </div>
        {model.gated && (
          <Badge tone="warning" icon="lock" title="HuggingFace requires accepting a license and a token">
            Gated
          </Badge>
        )}
      </div>
      {model.description && <p className={styles.description}>{model.description}</p>}
      <dl className={styles.facts}>
        <div className={styles.fact}>
          <dt>Size</dt>
          <dd>{model.size ?? '—'}</dd>
        </div>
        <div className={styles.fact}>
          <dt>Context</dt>
          <dd>{contextLabel(model.contextLength)}</dd>
        </div>
        <div className={styles.fact}>
          <dt>GPU memory</dt>
          <dd>{model.minGpus === 0 ? 'CPU' : gbLabel(model.estimatedGpuMemoryGb)}</dd>
        </div>
      </dl>
      <div className={styles.badges} aria-label="Engines">
        {model.supportedEngines.map((engine) => (
          <Badge key={engine} tone="outline">
            {engineName(engine)}
          </Badge>
        ))}
      </div>
      <div className={styles.fit}>
        <FitSummary fit={fit} capacityError={capacityError} />
      </div>
      <div className={styles.footer}>
        <span className={styles.stats}>
          {model.downloads !== undefined && (
            <>
              {compactNumber(model.downloads)} downloads · {compactNumber(model.likes ?? 0)} likes
            </>
          )}
        </span>
        <ButtonLink
          href={`/deploy?model=${encodeURIComponent(model.id)}`}
          variant="primary"
          size="small"
          aria-label={`Deploy ${model.name}`}
        >
          Deploy
          <Icon name="chevronRight" size={14} />
        </ButtonLink>
      </div>
    </article>
  );
}
