import type { Metadata } from 'next';
import { HfCallback } from '~/features/settings/hf-callback';
import styles from '~/features/login/login.module.css';

// The code in this page's URL must not travel anywhere in a Referer.
export const metadata: Metadata = { title: 'Signing in with HuggingFace', referrer: 'no-referrer' };

const one = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);

export default async function HuggingFaceCallbackPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  return (
    <main className={styles.page}>
      <HfCallback state={one(params.state)} code={one(params.code)} error={one(params.error)} />
    </main>
  );
}
