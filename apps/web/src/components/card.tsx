import type { ReactNode } from 'react';
import styles from './card.module.css';
import { cx } from './cx';

export interface CardProps {
  title?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  /** Heading level of the title within the page (default 2). */
  level?: 2 | 3;
  /** The body has no padding (tables, lists that run to the edges). */
  flush?: boolean;
  id?: string;
  className?: string;
  children?: ReactNode;
}

export function Card({ title, description, actions, level = 2, flush, id, className, children }: CardProps) {
  const Heading = level === 2 ? 'h2' : 'h3';
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section className={cx(styles.card, className)} id={id} aria-labelledby={title ? headingId : undefined}>
      {(title ?? actions) && (
        <header className={styles.header}>
          <div className={styles.titles}>
            {title && <Heading id={headingId}>{title}</Heading>}
            {description && <p className={styles.description}>{description}</p>}
          </div>
          {actions && <div className={styles.actions}>{actions}</div>}
        </header>
      )}
      <div className={cx(styles.body, flush && styles.flush)}>{children}</div>
    </section>
  );
}
