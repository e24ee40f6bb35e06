'use client';
// Where HuggingFace sends the browser back after the consent page. This navigation came from
// another site, so it arrived without the session cookie; the request below is this site's own
// and carries it. The dashboard server finishes the sign-in (server/hf-sign-in.ts) and the page
// goes on to Settings with the outcome — replacing itself, so the code leaves the history.
import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { Loading } from '~/components/states';
import { ApiRequestError, fetchJson } from '~/lib/api-client';
import { parseHfSignInOutcome, type HfSignInOutcome, type HfSignInResult } from '~/lib/hf-sign-in';
import styles from '~/features/login/login.module.css';

async function finish(body: { state?: string; code?: string; error?: string }): Promise<HfSignInOutcome> {
  try {
    const result = await fetchJson<HfSignInResult>('/oauth/huggingface/complete', { method: 'POST', body });
    return result.success ? 'signed-in' : 'partial';
  } catch (err) {
    const reason = err instanceof ApiRequestError ? err.details.reason : undefined;
    return parseHfSignInOutcome(reason) ?? 'failed';
  }
}

export function HfCallback({ state, code, error }: { state?: string; code?: string; error?: string }) {
  const router = useRouter();
  // A verifier is handed out once: the request must not run twice (React runs effects twice
  // in development).
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    void finish({
      ...(state !== undefined ? { state } : {}),
      ...(code !== undefined ? { code } : {}),
      ...(error !== undefined ? { error } : {}),
    }).then((outcome) => {
      router.replace(`/settings?huggingface=${outcome}`);
    });
  }, [state, code, error, router]);
  return (
    <div className={styles.panel}>
      <h1>Signing in with HuggingFace</h1>
      <Loading label="Finishing the sign-in…" />
    </div>
  );
}
