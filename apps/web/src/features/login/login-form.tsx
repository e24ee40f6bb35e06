'use client';
// Token sign-in. The token goes to this server's /session route, which checks it with the API
// (a Kubernetes TokenReview) and keeps it in an httpOnly cookie: page scripts never see it
// again. Without scripts the same form posts normally.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, ButtonLink } from '~/components/button';
import { TextAreaField } from '~/components/field';
import { Icon } from '~/components/icon';
import { Notice } from '~/components/states';
import { rpc, trpc } from '~/lib/trpc';
import styles from './login.module.css';

const MESSAGES: Readonly<Record<string, string>> = {
  UNAUTHORIZED: 'The cluster did not accept this token. It may be mistyped, expired or revoked.',
  VALIDATION_ERROR: 'That does not look like a bearer token: paste it without quotes or spaces.',
  API_UNREACHABLE: 'The AI Runway API is not reachable right now.',
  FORBIDDEN: 'Sign-in must come from this site.',
};

export function LoginForm({
  next,
  initialError,
  signedOut,
}: {
  next: string;
  initialError?: string;
  signedOut: boolean;
}) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>(
    initialError ? (MESSAGES[initialError] ?? initialError) : undefined,
  );
  const [busy, setBusy] = useState(false);
  // Whether this server needs a token at all: the API answers without one when auth is off.
  const open = useQuery({
    queryKey: ['auth-probe'],
    queryFn: ({ signal }) => rpc(() => trpc.settings.get.query(undefined, { signal })),
    retry: false,
  });
  const authOff = open.data && !open.data.auth.enabled;

  return (
    <div className={styles.panel}>
      <div className={styles.brand}>
        <span className={styles.logo} aria-hidden="true">
          <Icon name="play" size={15} />
        </span>
        AI Runway
      </div>
      <div className={styles.intro}>
        <h1>Sign in</h1>
        <p className={styles.muted}>
          Use a Kubernetes token. You can do here what RBAC lets that token do with kubectl, nothing more.
        </p>
      </div>
      {signedOut && !error && (
        <Notice tone="success" role="status">
          You are signed out.
        </Notice>
      )}
      {authOff ? (
        <>
          <Notice tone="info" title="No sign-in needed">
            Authentication is off on this server: the API acts with its own service account.
          </Notice>
          <ButtonLink href={next} variant="primary">
            Continue
          </ButtonLink>
        </>
      ) : (
        <form
          className={styles.form}
          action="/session"
          method="post"
          onSubmit={(e) => {
            e.preventDefault();
            setBusy(true);
            setError(undefined);
            fetch('/session', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ token, next }),
              credentials: 'same-origin',
            })
              .then(async (response) => {
                const body = (await response.json().catch(() => ({}))) as {
                  code?: string;
                  error?: string;
                  next?: string;
                };
                if (!response.ok) {
                  setError(MESSAGES[body.code ?? ''] ?? body.error ?? `Sign-in failed (${response.status}).`);
                  setBusy(false);
                  return;
                }
                window.location.assign(body.next ?? next);
              })
              .catch(() => {
                setError(MESSAGES.API_UNREACHABLE);
                setBusy(false);
              });
          }}
        >
          <input type="hidden" name="next" value={next} />
          <TextAreaField
            label="Bearer token"
            error={error}
            name="token"
            rows={4}
            required
            autoComplete="off"
            spellCheck={false}
            placeholder="eyJhbGciOi…"
            value={token}
            onChange={setToken}
          />
          <Button
            type="submit"
            variant="primary"
            className={styles.submit}
            busy={busy}
            disabled={!token.trim()}
          >
            Sign in
          </Button>
          <p className={styles.help}>
            For example <code>kubectl create token my-user -n my-namespace</code>, or the token of your
            kubeconfig user. It is kept for a few hours in an httpOnly cookie that only this server reads.
          </p>
        </form>
      )}
    </div>
  );
}
