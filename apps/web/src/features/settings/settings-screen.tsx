'use client';
// Settings: the namespace new deployments go to, the HuggingFace token model pods use for gated
// models (signed in with HuggingFace, or pasted), and this session.
import {
  HfTokenSchema,
  NamespaceNameSchema,
  type DeleteHfSecretResponse,
  type HfOAuthConfigResponse,
  type HfSecretStatusResponse,
  type SaveHfSecretResponse,
} from '@airunway/schema';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { Badge } from '~/components/badge';
import { Button } from '~/components/button';
import { Card } from '~/components/card';
import { TextField } from '~/components/field';
import { KeyValueList } from '~/components/key-value';
import { PageHeader } from '~/components/page-header';
import { ErrorState, Loading, Notice } from '~/components/states';
import { api, describeError, fetchJson, ApiRequestError } from '~/lib/api-client';
import { HF_SIGN_IN_MESSAGES, type HfSignInOutcome } from '~/lib/hf-sign-in';
import { useSettings, useUpdateSettings, useVersion } from '~/lib/queries';
import styles from './settings.module.css';

const NAMESPACE_REFUSAL_ID = 'settings-namespace-refusal';
const TOKEN_REFUSAL_ID = 'settings-token-refusal';

/**
 * Why an action of the card is not offered, in the words of the 403 it would get. The disabled
 * buttons point here with aria-describedby, so a screen reader says it with them.
 */
function Refusal({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Notice tone="info" title={title} id={id} className={styles.notice}>
      {children ?? 'Kubernetes does not allow it'}. A cluster admin can do it, or give you the right to.
    </Notice>
  );
}

function NamespaceCard() {
  const settings = useSettings();
  const update = useUpdateSettings();
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const current = settings.data?.config.defaultNamespace ?? '';
  const value = draft ?? current;
  const check = NamespaceNameSchema.safeParse(value);
  const localError = draft !== undefined && !check.success ? check.error.issues[0]?.message : undefined;
  const apiError = update.error instanceof ApiRequestError ? update.error.fields[0]?.message : undefined;
  const mayUpdate = settings.data?.permissions.update;
  const refused = mayUpdate?.allowed === false;
  return (
    <Card
      title="Default namespace"
      description="Where new deployments go when the Deploy form is not told otherwise. Shared by every user of this AI Runway."
    >
      {settings.error ? (
        <ErrorState error={settings.error} />
      ) : settings.isPending ? (
        <Loading />
      ) : (
        <form
          className={styles.row}
          onSubmit={(e) => {
            e.preventDefault();
            if (!check.success) return;
            update.mutate(
              { defaultNamespace: value },
              {
                onSuccess: () => {
                  setDraft(undefined);
                },
              },
            );
          }}
        >
          <TextField
            label="Namespace"
            error={localError ?? apiError}
            className={styles.grow}
            spellCheck={false}
            autoComplete="off"
            readOnly={refused}
            value={value}
            onChange={(v) => {
              setDraft(v);
              update.reset();
            }}
          />
          <Button
            type="submit"
            variant="primary"
            busy={update.isPending}
            disabled={refused || !check.success || value === current}
            aria-describedby={refused ? NAMESPACE_REFUSAL_ID : undefined}
          >
            Save
          </Button>
        </form>
      )}
      {refused && (
        <Refusal id={NAMESPACE_REFUSAL_ID} title="You cannot change the default namespace">
          {mayUpdate.reason}
        </Refusal>
      )}
      {update.isSuccess && (
        <Notice tone="success" role="status" className={styles.notice}>
          Saved. New deployments go to {update.data.config.defaultNamespace}.
        </Notice>
      )}
      {update.error !== null && !apiError && (
        <Notice tone="danger" role="alert" className={styles.notice}>
          {describeError(update.error)}
        </Notice>
      )}
    </Card>
  );
}

/** How the last sign-in with HuggingFace ended, once, as the callback page reported it. */
function SignInOutcome({ outcome, user }: { outcome: HfSignInOutcome; user: string | undefined }) {
  if (outcome === 'signed-in' || outcome === 'partial')
    return (
      <Notice
        tone={outcome === 'signed-in' ? 'success' : 'warning'}
        role="status"
        title={user ? `Signed in with HuggingFace as ${user}` : 'Signed in with HuggingFace'}
      >
        {outcome === 'signed-in'
          ? 'The token is saved in every namespace listed below that exists.'
          : 'The token could not be saved in every namespace: those below without a check do not have it.'}
      </Notice>
    );
  return (
    <Notice tone="danger" role="alert" title="Sign-in with HuggingFace failed">
      {HF_SIGN_IN_MESSAGES[outcome]}
    </Notice>
  );
}

function HuggingFaceCard({ outcome }: { outcome: HfSignInOutcome | undefined }) {
  const client = useQueryClient();
  const status = useQuery({
    queryKey: ['hf-secret-status'],
    queryFn: ({ signal }) => api<HfSecretStatusResponse>('/secrets/huggingface/status', { signal }),
    retry: false,
  });
  const oauth = useQuery({
    queryKey: ['hf-oauth-config'],
    queryFn: ({ signal }) => api<HfOAuthConfigResponse>('/oauth/huggingface/config', { signal }),
    retry: false,
    staleTime: Infinity,
  });
  // The outcome is shown once: a reload or a bookmark of this URL must not repeat it.
  useEffect(() => {
    if (outcome) window.history.replaceState(null, '', '/settings');
  }, [outcome]);
  const signIn = useMutation({
    // The dashboard server starts the flow (it keeps the state in a cookie); the browser then
    // leaves for HuggingFace's consent page.
    mutationFn: () =>
      fetchJson<{ authorizationUrl: string }>('/oauth/huggingface/start', { method: 'POST', body: {} }),
    onSuccess: ({ authorizationUrl }) => {
      window.location.assign(authorizationUrl);
    },
  });
  const [token, setToken] = useState('');
  const save = useMutation({
    mutationFn: (accessToken: string) =>
      api<SaveHfSecretResponse>('/secrets/huggingface', { method: 'POST', body: { accessToken } }),
    onSuccess: () => {
      setToken('');
      void client.invalidateQueries({ queryKey: ['hf-secret-status'] });
    },
  });
  const remove = useMutation({
    mutationFn: () => api<DeleteHfSecretResponse>('/secrets/huggingface', { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['hf-secret-status'] }),
  });
  const user = status.data?.user;
  const check = HfTokenSchema.safeParse(token);
  const { save: maySave, remove: mayRemove } = status.data?.permissions ?? {};
  const saveRefused = maySave?.allowed === false;
  const removeRefused = mayRemove?.allowed === false && status.data?.configured === true;
  // Each refusal once: for a viewer, saving and removing are refused for the same reason.
  const refusals = [maySave, removeRefused ? mayRemove : undefined].flatMap((p) =>
    p && !p.allowed && p.reason ? [p.reason] : [],
  );
  return (
    <Card
      title="HuggingFace token"
      description="Gated models (Llama, Mistral, …) download with a token. It is stored as the Secret hf-token-secret (key HF_TOKEN) in the namespaces below, and never shown again."
    >
      <div className={styles.stack}>
        {outcome && (
          <SignInOutcome outcome={outcome} user={user ? `${user.fullname} (${user.name})` : undefined} />
        )}
        {status.error ? (
          <Notice tone="warning" title="Status unavailable">
            {describeError(status.error)}
          </Notice>
        ) : status.isPending ? (
          <Loading />
        ) : (
          <>
            <div className={styles.badges}>
              {status.data.configured ? (
                <Badge tone="success" icon="check">
                  {user ? `Signed in as ${user.fullname} (${user.name})` : 'Configured'}
                </Badge>
              ) : (
                <Badge tone="neutral" icon="minus">
                  Not configured
                </Badge>
              )}
              {status.data.namespaces.length > 0 && <span className="muted">Secret in:</span>}
              {status.data.namespaces.map((ns) => (
                <Badge
                  key={ns.name}
                  tone={ns.exists ? 'outline' : 'neutral'}
                  icon={ns.exists ? 'check' : 'minus'}
                  {...(ns.error ? { title: ns.error } : {})}
                >
                  {ns.name}
                </Badge>
              ))}
            </div>
            {status.data.userError && <p className="muted">{status.data.userError}</p>}
          </>
        )}
        {oauth.isPending ? null : oauth.error ? (
          <Notice tone="info" title="Sign-in with HuggingFace is not available">
            {describeError(oauth.error)} Paste an access token instead.
          </Notice>
        ) : (
          <div className={styles.signIn}>
            <Button
              variant="primary"
              busy={signIn.isPending}
              // Signing in ends in saving the token: refused for the same reason.
              disabled={saveRefused}
              aria-describedby={saveRefused ? TOKEN_REFUSAL_ID : undefined}
              onClick={() => {
                signIn.mutate();
              }}
            >
              Sign in with HuggingFace
            </Button>
            <span className="muted">
              Asks HuggingFace for a read token ({oauth.data.scopes.join(', ')}) and saves it here. Or paste
              one:
            </span>
          </div>
        )}
        {signIn.error && (
          <Notice tone="danger" role="alert">
            {describeError(signIn.error)}
          </Notice>
        )}
        <form
          className={styles.row}
          onSubmit={(e) => {
            e.preventDefault();
            if (check.success) save.mutate(token);
          }}
        >
          <TextField
            label="Access token"
            className={styles.grow}
            error={token && !check.success ? check.error.issues[0]?.message : undefined}
            hint="Create a read token at huggingface.co/settings/tokens. It is checked with HuggingFace before it is saved."
            type="password"
            autoComplete="off"
            placeholder="hf_…"
            readOnly={saveRefused}
            value={token}
            onChange={(v) => {
              setToken(v.trim());
              save.reset();
            }}
          />
          <Button
            type="submit"
            variant="primary"
            busy={save.isPending}
            disabled={saveRefused || !check.success}
            aria-describedby={saveRefused ? TOKEN_REFUSAL_ID : undefined}
          >
            Save token
          </Button>
          {status.data?.configured && (
            <Button
              variant="ghost"
              busy={remove.isPending}
              disabled={removeRefused}
              aria-describedby={removeRefused ? TOKEN_REFUSAL_ID : undefined}
              onClick={() => {
                remove.mutate();
              }}
            >
              Remove
            </Button>
          )}
        </form>
        {refusals.length > 0 && (
          <Refusal
            id={TOKEN_REFUSAL_ID}
            title={
              saveRefused && removeRefused
                ? 'You cannot save or remove the token'
                : saveRefused
                  ? 'You cannot save the token'
                  : 'You cannot remove the token'
            }
          >
            {[...new Set(refusals)].join('. ')}
          </Refusal>
        )}
        {save.data && (
          <Notice tone={save.data.success ? 'success' : 'warning'} role="status">
            {save.data.message}
          </Notice>
        )}
        {(save.error ?? remove.error) && (
          <Notice tone="danger" role="alert">
            {describeError(save.error ?? remove.error)}
          </Notice>
        )}
      </div>
    </Card>
  );
}

function SessionCard({ signedIn }: { signedIn: boolean }) {
  const settings = useSettings();
  const version = useVersion();
  const authEnabled = settings.data?.auth.enabled;
  return (
    <Card title="Session and server">
      <div className={styles.stack}>
        <KeyValueList
          items={[
            [
              'Authentication',
              authEnabled === undefined
                ? '…'
                : authEnabled
                  ? 'On: requests carry your Kubernetes token'
                  : 'Off: the API acts with its own service account',
            ],
            ['Session', signedIn ? 'Signed in (token kept in an httpOnly cookie)' : 'No token stored'],
            ['API version', version.data ? `${version.data.version} (${version.data.gitCommit})` : undefined],
          ]}
        />
        {signedIn && (
          <form action="/session/sign-out" method="post">
            <Button type="submit">Sign out</Button>
          </form>
        )}
      </div>
    </Card>
  );
}

export function SettingsScreen({ signedIn, hfOutcome }: { signedIn: boolean; hfOutcome?: HfSignInOutcome }) {
  return (
    <>
      <PageHeader title="Settings" />
      <div className={styles.stack}>
        <NamespaceCard />
        <HuggingFaceCard outcome={hfOutcome} />
        <SessionCard signedIn={signedIn} />
      </div>
    </>
  );
}
