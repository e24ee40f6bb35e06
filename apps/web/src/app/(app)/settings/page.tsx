import type { Metadata } from 'next';
import { SettingsScreen } from '~/features/settings/settings-screen';
import { parseHfSignInOutcome } from '~/lib/hf-sign-in';
import { hasSession } from '~/server/preferences';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const hfOutcome = parseHfSignInOutcome((await searchParams).huggingface);
  return <SettingsScreen signedIn={await hasSession()} {...(hfOutcome ? { hfOutcome } : {})} />;
}
