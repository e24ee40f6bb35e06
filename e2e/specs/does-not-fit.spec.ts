// A deployment that cannot fit says so before it is created (the dry run's scheduler verdict)
// and after (the pending reasons, with advice on whether more nodes would help).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, stack, type Browser } from '../support/browser.js';
import { deleteDeployment, uniqueName } from '../support/cluster.js';

describe('[FIT] a deployment too large for any node', () => {
  let browser: Browser;
  const name = uniqueName('too-big');
  const namespace = stack().defaultNamespace;

  beforeAll(async () => {
    browser = await openBrowser();
    await signIn(browser.context);
  });
  afterAll(async () => {
    await deleteDeployment(name, namespace);
    await browser.close();
  });

  it('is called out in the form before anything is created', async () => {
    const { page } = browser;
    await page.goto('/deploy?model=Qwen%2FQwen3-0.6B');
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('GPUs per replica').fill('16');
    // The form's own per-node verdict, from the API's GPU capacity…
    await page
      .getByText('needs 16 GPUs on one node; the largest GPU node has 8', { exact: false })
      .first()
      .waitFor();
    // …and the API's dry run, in the scheduler's words.
    const fit = page.locator('[data-testid="dry-run-fit"][data-fit="does-not-fit"]');
    await fit.waitFor();
    expect(await fit.textContent()).toMatch(/Insufficient nvidia\.com\/gpu/);
    await screenshot(page, 'deploy-does-not-fit');
  });

  it('can still be created, and its page explains why it waits', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Deploy anyway' }).click();
    await page.waitForURL(new RegExp(`/deployments/${namespace}/${name}`));
    const reasons = page.getByTestId('pending-reasons');
    await reasons.waitFor({ timeout: 60_000 });
    await expect
      .poll(() => reasons.textContent(), { timeout: 30_000 })
      .toMatch(/Insufficient nvidia\.com\/gpu/);
    expect(await reasons.textContent()).toContain('no cluster autoscaler was found');
    const header = page.locator('header').filter({ has: page.getByRole('heading', { name, exact: true }) });
    expect(await header.getByText('Pending', { exact: true }).count()).toBe(1);
    // The scheduler's Warning about the pod is among the deployment's events.
    const failed = page.getByTestId('events').locator('tr', { hasText: 'FailedScheduling' }).first();
    await failed.waitFor({ timeout: 30_000 });
    expect(await failed.textContent()).toMatch(/pod .*Insufficient nvidia\.com\/gpu/s);
    await screenshot(page, 'deployment-pending');
  });
});
