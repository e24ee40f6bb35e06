// Settings: the default namespace is validated as it is typed (the shared schema), saved
// through the API (a ConfigMap), and is what the Deploy form starts with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, stack, type Browser } from '../support/browser.js';
import { cluster } from '../support/cluster.js';

describe('[SETTINGS] default namespace', () => {
  let browser: Browser;
  const original = stack().defaultNamespace;

  beforeAll(async () => {
    browser = await openBrowser();
    await signIn(browser.context);
  });
  afterAll(async () => {
    // Other specs deploy into the stack's default namespace: put it back.
    await browser.page.goto('/settings');
    await browser.page.getByLabel('Namespace').fill(original);
    await browser.page.getByRole('button', { name: 'Save', exact: true }).click();
    await browser.page.getByText(`New deployments go to ${original}`).waitFor();
    await browser.close();
  });

  it('refuses a name Kubernetes would refuse, before sending it', async () => {
    const { page } = browser;
    await page.goto('/settings');
    const input = page.getByLabel('Namespace');
    await expect.poll(() => input.inputValue()).toBe(original);
    await input.fill('Team_A');
    await page.getByText('must be a namespace name', { exact: false }).waitFor();
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true);
    await screenshot(page, 'settings-invalid');
  });

  it('saves a valid one, and the Deploy form starts with it', async () => {
    const { page } = browser;
    await page.getByLabel('Namespace').fill('team-e2e');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('New deployments go to team-e2e').waitFor();
    const stored = await cluster().kubectlOk(['get', 'configmap', '-n', 'airunway-system', '-o', 'json']);
    expect(stored).toContain('team-e2e');
    await page.goto('/deploy?model=Qwen%2FQwen3-0.6B');
    await expect.poll(() => page.getByLabel('Namespace', { exact: true }).inputValue()).toBe('team-e2e');
  });
});
