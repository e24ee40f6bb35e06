'use client';
// The frame of every signed-in screen: navigation, the cluster's connection state, the theme
// and sign-out. Rendered on the server, so the first paint already has the navigation.
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { Icon, type IconName } from '~/components/icon';
import { useClusterStatus } from '~/lib/queries';
import type { ThemePreference } from '~/server/preferences';
import styles from './app-shell.module.css';
import { ThemeSwitch } from './theme-switch';

const NAV: readonly { href: string; label: string; icon: IconName }[] = [
  { href: '/models', label: 'Models', icon: 'models' },
  { href: '/deployments', label: 'Deployments', icon: 'deployments' },
  { href: '/runtimes', label: 'Runtimes', icon: 'runtimes' },
  { href: '/settings', label: 'Settings', icon: 'settings' },
];

function isActive(pathname: string, href: string): boolean {
  if (href === '/models')
    return pathname === '/models' || pathname.startsWith('/deploy/') || pathname === '/deploy';
  return pathname === href || pathname.startsWith(`${href}/`);
}

function ClusterIndicator() {
  const { data, error, isPending } = useClusterStatus();
  const state = isPending ? 'checking' : error || !data.connected ? 'disconnected' : 'connected';
  const label =
    state === 'checking'
      ? 'Checking cluster…'
      : state === 'connected'
        ? 'Cluster connected'
        : (data?.message ?? 'Cluster not reachable');
  return (
    <p className={styles.cluster} role="status" title={label}>
      <span
        className={[
          styles.dot,
          state === 'connected' && styles.connected,
          state === 'disconnected' && styles.disconnected,
        ]
          .filter(Boolean)
          .join(' ')}
        aria-hidden="true"
      />
      <span>{state === 'disconnected' ? 'Cluster not reachable' : label}</span>
    </p>
  );
}

export function AppShell({
  children,
  signedIn,
  theme,
}: {
  children: ReactNode;
  signedIn: boolean;
  theme: ThemePreference;
}) {
  const pathname = usePathname();
  return (
    <div className={styles.shell}>
      <a className={styles.skip} href="#main">
        Skip to content
      </a>
      <aside className={styles.sidebar}>
        <Link href="/models" className={styles.brand}>
          <span className={styles.logo} aria-hidden="true">
            <Icon name="play" size={14} />
          </span>
          AI Runway
        </Link>
        <nav className={styles.nav} aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.href}>
                <Link
                  href={item.href}
                  className={styles.link}
                  aria-current={isActive(pathname, item.href) ? 'page' : undefined}
                >
                  <Icon name={item.icon} />
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className={styles.footer}>
          <ClusterIndicator />
          <div className={styles.footerRow}>
            <ThemeSwitch initial={theme} />
            {signedIn && (
              <form action="/session/sign-out" method="post" className={styles.signOut}>
                <button type="submit" className={styles.iconButton}>
                  <Icon name="logout" size={14} />
                  Sign out
                </button>
              </form>
            )}
          </div>
        </div>
      </aside>
      <main id="main" className={styles.main} tabIndex={-1}>
        <div className={styles.content}>{children}</div>
      </main>
    </div>
  );
}
