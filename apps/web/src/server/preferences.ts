// Display preferences kept in a plain cookie (not a secret), read by the server so the first
// paint already has the right theme.
import { cookies } from 'next/headers';
import { SESSION_COOKIE } from './session';

export const THEME_COOKIE = 'airunway_theme';
export type ThemePreference = 'system' | 'light' | 'dark';

export async function themePreference(): Promise<ThemePreference> {
  const value = (await cookies()).get(THEME_COOKIE)?.value;
  return value === 'light' || value === 'dark' ? value : 'system';
}

/** Whether a session cookie is present (its validity is the API's to judge). */
export async function hasSession(): Promise<boolean> {
  return (await cookies()).has(SESSION_COOKIE);
}
