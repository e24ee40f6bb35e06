'use client';
// Light, dark or the system's choice. Kept in a cookie the server reads, so pages render in
// the chosen theme from the first byte.
import { useState } from 'react';
import { Icon, type IconName } from '~/components/icon';
import type { ThemePreference } from '~/server/preferences';
import styles from './app-shell.module.css';

const NEXT: Readonly<Record<ThemePreference, ThemePreference>> = {
  system: 'light',
  light: 'dark',
  dark: 'system',
};
const ICON: Readonly<Record<ThemePreference, IconName>> = { system: 'monitor', light: 'sun', dark: 'moon' };
const LABEL: Readonly<Record<ThemePreference, string>> = {
  system: 'Theme: system',
  light: 'Theme: light',
  dark: 'Theme: dark',
};

export function ThemeSwitch({ initial }: { initial: ThemePreference }) {
  const [theme, setTheme] = useState(initial);
  const choose = (next: ThemePreference) => {
    setTheme(next);
    const root = document.documentElement;
    if (next === 'system') delete root.dataset.theme;
    else root.dataset.theme = next;
    document.cookie = `airunway_theme=${next}; Path=/; Max-Age=31536000; SameSite=Lax`;
  };
  return (
    <button
      type="button"
      onClick={() => {
        choose(NEXT[theme]);
      }}
      title={`${LABEL[theme]} (click to change)`}
      aria-label={`${LABEL[theme]}. Change theme`}
      className={styles.iconButton}
    >
      <Icon name={ICON[theme]} size={14} />
      {theme === 'system' ? 'System' : theme === 'light' ? 'Light' : 'Dark'}
    </button>
  );
}
