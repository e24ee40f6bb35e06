import type { Metadata } from 'next';
import { SettingsScreen } from '~/features/settings/settings-screen';
import { hasSession } from '~/server/preferences';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  return <SettingsScreen signedIn={await hasSession()} />;
}
