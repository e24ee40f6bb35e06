'use client';
import { useState, type CSSProperties } from 'react';
import { Button } from './button';
import styles from './code-block.module.css';
import { Icon } from './icon';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      size="small"
      variant="secondary"
      onClick={() => {
        void navigator.clipboard.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => {
            setCopied(false);
          }, 1500);
        });
      }}
    >
      <Icon name={copied ? 'check' : 'copy'} size={14} />
      <span aria-live="polite">{copied ? 'Copied' : label}</span>
    </Button>
  );
}

export function CodeBlock({
  code,
  label,
  maxHeight,
  copyLabel,
}: {
  code: string;
  label?: string;
  maxHeight?: number;
  copyLabel?: string;
}) {
  return (
    <div className={styles.wrapper}>
      <div className={styles.header}>
        {label ? <p className={styles.label}>{label}</p> : <span />}
        <CopyButton text={code} {...(copyLabel ? { label: copyLabel } : {})} />
      </div>
      <pre
        className={styles.pre}
        tabIndex={0}
        aria-label={label ?? 'Code'}
        style={maxHeight ? ({ '--code-max-height': `${maxHeight}px` } as CSSProperties) : undefined}
      >
        <code>{code}</code>
      </pre>
    </div>
  );
}
