// Empty, loading and error states, and inline notices: every screen shows one of these
// instead of a blank area while data is missing, arriving or failed.
import type { CSSProperties, ReactNode } from 'react';
import { ApiRequestError, describeError } from '~/lib/api-client';
import { Icon, type IconName } from './icon';
import styles from './states.module.css';

export function EmptyState({
  icon = 'info',
  title,
  children,
  actions,
}: {
  icon?: IconName;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className={styles.empty}>
      <span className={styles.emptyIcon}>
        <Icon name={icon} size={20} />
      </span>
      <p className={styles.title}>{title}</p>
      {children && <div className={styles.text}>{children}</div>}
      {actions && <div className={styles.actions}>{actions}</div>}
    </div>
  );
}

export function ErrorState({
  title = 'Something went wrong',
  error,
  actions,
}: {
  title?: string;
  error: unknown;
  actions?: ReactNode;
}) {
  // Not an error of the product: Kubernetes does not let this user see it. Said calmly, with why.
  if (error instanceof ApiRequestError && error.code === 'FORBIDDEN')
    return (
      <EmptyState icon="lock" title={title} actions={actions}>
        Not visible to your account: {error.message}.
      </EmptyState>
    );
  const code = error instanceof ApiRequestError && error.code !== 'UNKNOWN' ? error.code : undefined;
  return (
    <div className={styles.error} role="alert">
      <span className={styles.errorIcon}>
        <Icon name="alert" size={20} />
      </span>
      <p className={styles.title}>{title}</p>
      <p className={styles.text}>{describeError(error)}</p>
      {code && <p className={styles.code}>{code}</p>}
      {actions && <div className={styles.actions}>{actions}</div>}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className={styles.loading} role="status">
      <span className={styles.spinner} aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function Skeleton({
  width = '100%',
  height = 14,
  style,
}: {
  width?: number | string;
  height?: number;
  style?: CSSProperties;
}) {
  return <span className={styles.skeleton} style={{ width, height, ...style }} aria-hidden="true" />;
}

export type NoticeTone = 'info' | 'success' | 'warning' | 'danger';

const NOTICE_ICON: Readonly<Record<NoticeTone, IconName>> = {
  info: 'info',
  success: 'check',
  warning: 'alert',
  danger: 'alert',
};

export function Notice({
  tone = 'info',
  title,
  children,
  role,
  className,
  id,
}: {
  tone?: NoticeTone;
  title?: ReactNode;
  children?: ReactNode;
  role?: 'status' | 'alert';
  className?: string;
  /** For controls that the notice explains (aria-describedby). */
  id?: string;
}) {
  return (
    <div className={[styles.notice, styles[tone], className].filter(Boolean).join(' ')} role={role} id={id}>
      <Icon name={NOTICE_ICON[tone]} />
      <div className={styles.noticeBody}>
        {title && <p className={styles.noticeTitle}>{title}</p>}
        {children && <div>{children}</div>}
      </div>
    </div>
  );
}
