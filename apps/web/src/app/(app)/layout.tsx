import type { ReactNode } from 'react';
import { AppShell } from '~/features/shell/app-shell';
import { hasSession, themePreference } from '~/server/preferences';

export default async function AppLayout({ children }: { children: ReactNode }) {
  const [signedIn, theme] = await Promise.all([hasSession(), themePreference()]);
  return (
    <AppShell signedIn={signedIn} theme={theme}>
      {children}
    </AppShell>
  );
}
