import type { ReactNode } from 'react';
import styles from './badge.module.css';
import { cx } from './cx';
import { Icon, type IconName } from './icon';

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger' | 'accent' | 'outline';

export interface BadgeProps {
  tone?: Tone;
  /** Status badges carry an icon, so their meaning never rests on colour alone. */
  icon?: IconName;
  spinning?: boolean;
  title?: string;
  children: ReactNode;
  className?: string;
}

export function Badge({ tone = 'neutral', icon, spinning, title, children, className }: BadgeProps) {
  return (
    <span className={cx(styles.badge, styles[tone], className)} title={title}>
      {icon && <Icon name={icon} className={cx(styles.icon, spinning && styles.spin)} />}
      {children}
    </span>
  );
}
