// Sign-in with HuggingFace from Settings: the browser goes to the Hub's consent page (the
// stand-in, on another site like huggingface.co), comes back to the dashboard's callback page,
// and the dashboard server exchanges the code (PKCE) and saves the token Secret. Denied consent,
// a replayed callback and a callback for another sign-in save nothing and say why. The token
// never reaches the browser: not in an answer, not in storage.
import type { Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, stack, type Browser } from '../support/browser.js';
import { cluster } from '../support/cluster.js';

const SECRET = 'hf-token-secret';
const CALLBACK = '/oauth/callback/huggingface';

describe('[HUGGINGFACE] sign-in with OAuth and PKCE', () => {
  let browser: Browser;
  // Where the stack's API writes the token (HF_SECRET_NAMESPACES): its default namespace and `default`.
  const namespaces = [stack().defaultNamespace, 'default'];
  const answers: Response[] = [];
  let callbackUrl = '';

  const secretToken = async (namespace: string): Promise<string | undefined> => {
    const got = await cluster().kubectl([
      'get',
      'secret',
      SECRET,
      '-n',
      namespace,
      '-o',
      'jsonpath={.data.HF_TOKEN}',
    ]);
    return got.code === 0 ? Buffer.from(got.stdout, 'base64').toString() : undefined;
  };
  const removeSecrets = async () => {
    for (const namespace of namespaces)
      await cluster().kubectlOk(['delete', 'secret', SECRET, '-n', namespace, '--ignore-not-found']);
  };

  /** Settings → "Sign in with HuggingFace" → the Hub's consent page. */
  async function toConsentPage(): Promise<URL> {
    const { page } = browser;
    await page.goto('/settings');
    await page.getByRole('button', { name: 'Sign in with HuggingFace' }).click();
    await page.getByRole('heading', { name: 'Authorize AI Runway' }).waitFor();
    return new URL(page.url());
  }

  beforeAll(async () => {
    await removeSecrets();
    browser = await openBrowser();
    await signIn(browser.context);
    browser.page.on('response', (response) => {
      if (response.url().startsWith(stack().webUrl)) answers.push(response);
    });
    browser.page.on('request', (request) => {
      if (request.isNavigationRequest() && request.url().includes(`${CALLBACK}?`))
        callbackUrl = request.url();
    });
  });
  afterAll(async () => {
    await removeSecrets();
    await browser.close();
  });

  it('offers the sign-in beside the pasted token', async () => {
    const { page } = browser;
    await page.goto('/settings');
    await page.getByRole('button', { name: 'Sign in with HuggingFace' }).waitFor();
    await page.getByLabel('Access token').waitFor();
    await page.getByText('Not configured', { exact: true }).waitFor();
    await screenshot(page, 'hf-sign-in-start');
  });

  it('denied consent comes back as a readable error, and nothing is saved', async () => {
    const { page } = browser;
    const consent = await toConsentPage();
    expect(consent.origin).toBe(stack().hubUrl);
    expect(consent.searchParams.get('redirect_uri')).toBe(`${stack().webUrl}${CALLBACK}`);
    expect(consent.searchParams.get('code_challenge_method')).toBe('S256');
    await screenshot(page, 'hf-sign-in-consent');

    await page.getByRole('button', { name: 'Deny' }).click();
    await page.getByText('Access was denied on HuggingFace, so nothing was saved.').waitFor();
    // The outcome is shown once: the address is plain /settings again.
    await expect.poll(() => page.url()).toBe(`${stack().webUrl}/settings`);
    await page.getByText('Not configured', { exact: true }).waitFor();
    await screenshot(page, 'hf-sign-in-denied');
    for (const namespace of namespaces) expect(await secretToken(namespace)).toBeUndefined();
  });

  it('Authorize brings the user back to Settings, signed in, with the token Secret saved', async () => {
    const { page } = browser;
    await toConsentPage();
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.getByText('Signed in with HuggingFace as Alice Example (alice-hf)').waitFor();
    await page.getByText('Signed in as Alice Example (alice-hf)', { exact: true }).waitFor();
    await expect.poll(() => page.url()).toBe(`${stack().webUrl}/settings`);
    await screenshot(page, 'hf-sign-in-signed-in');

    const token = await secretToken(stack().defaultNamespace);
    expect(token).toMatch(/^hf_oauth_/);
    expect(await secretToken('default')).toBe(token);
    // The API reads it back and HuggingFace says whose it is.
    const status = await page.evaluate(async () => {
      const response = await fetch('/api/secrets/huggingface/status');
      return (await response.json()) as { configured: boolean; user?: { name: string } };
    });
    expect(status).toMatchObject({ configured: true, user: { name: 'alice-hf' } });

    // Nothing the dashboard sent the browser held the token, nor does any storage.
    const finish = answers.filter((a) => a.url().endsWith('/oauth/huggingface/complete')).at(-1);
    expect(await finish?.text()).toContain('alice-hf');
    const bodies = await Promise.all(answers.map((a) => a.text().catch(() => '')));
    expect(bodies.filter((b) => b.includes(token ?? '-')).length).toBe(0);
    const stored = await page.evaluate(() =>
      JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)]),
    );
    expect(stored).not.toContain('hf_');
    expect(await page.evaluate(() => document.cookie)).not.toContain('hf_');
  });

  it('a replayed callback is refused as finished, and changes nothing', async () => {
    const { page } = browser;
    const before = await secretToken(stack().defaultNamespace);
    expect(callbackUrl).toContain('code=');
    await page.goto(callbackUrl);
    await page.getByText('This sign-in expired or was already finished').waitFor();
    await page.getByText('Signed in as Alice Example (alice-hf)', { exact: true }).waitFor();
    await screenshot(page, 'hf-sign-in-expired');
    expect(await secretToken(stack().defaultNamespace)).toBe(before);
  });

  it('a callback for another sign-in is refused as a state mismatch', async () => {
    const { page } = browser;
    const before = await secretToken(stack().defaultNamespace);
    // A flow is under way in this browser, but the answer carries someone else's state.
    await toConsentPage();
    await page.goto(`${CALLBACK}?code=forged-code&state=${'a'.repeat(43)}`);
    await page.getByText('does not belong to the sign-in this browser started').waitFor();
    await page.getByText('Signed in as Alice Example (alice-hf)', { exact: true }).waitFor();
    await screenshot(page, 'hf-sign-in-state-mismatch');
    expect(await secretToken(stack().defaultNamespace)).toBe(before);
  });
});
