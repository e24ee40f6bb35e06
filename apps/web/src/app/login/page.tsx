import type { Metadata } from 'next';
import { LoginForm } from '~/features/login/login-form';
import styles from '~/features/login/login.module.css';
import { safeReturnPath } from '~/server/sign-in';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const error = typeof params.error === 'string' ? params.error : undefined;
  return (
    <main className={styles.page}>
      <LoginForm
        next={safeReturnPath(params.next)}
        {...(error ? { initialError: error } : {})}
        signedOut={params.signedOut === '1'}
      />
    </main>
  );
}
