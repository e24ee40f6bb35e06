// Signing in with a Kubernetes token: a signed-out visit is sent to sign in and back, a token
// the cluster rejects is refused with a reason, and an accepted one lives in an httpOnly
// cookie that page scripts cannot read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, stack, type Browser } from '../support/browser.js';

describe('[AUTH] token sign-in', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('sends a signed-out visitor to sign in', async () => {
    const { page } = browser;
    await page.goto('/deployments');
    await page.waitForURL(/\/login\?next=%2Fdeployments/);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  it('refuses a token the cluster does not accept', async () => {
    const { page } = browser;
    await page.getByLabel('Bearer token').fill('not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The cluster did not accept this token', { exact: false }).waitFor();
    await screenshot(page, 'login-refused');
    expect(await browser.context.cookies()).toEqual([]);
  });

  it('accepts a valid token into an httpOnly cookie and returns to the page asked for', async () => {
    const { page, context } = browser;
    const token = stack().cluster.users.admin.token;
    await page.getByLabel('Bearer token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/deployments$/);
    await page.getByRole('heading', { name: 'Deployments' }).waitFor();
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'airunway_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    expect(await page.evaluate(() => document.cookie)).not.toContain(token);
    expect(await page.evaluate(() => JSON.stringify(window.localStorage))).not.toContain(token);
  });

  it('signs out', async () => {
    const { page, context } = browser;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login\?signedOut=1/);
    expect((await context.cookies()).find((c) => c.name === 'airunway_session')).toBeUndefined();
  });
});
