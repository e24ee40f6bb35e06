// The Deployments list follows the cluster as it changes — pushed by the API's stream, not
// polled: a ModelDeployment applied with kubectl appears, moves through its phases and
// disappears when deleted, and the page never asks for the list again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, stack, type Browser } from '../support/browser.js';
import { cluster, deleteDeployment, modelDeployment, uniqueName } from '../support/cluster.js';

describe('[LIVE] the Deployments list', () => {
  let browser: Browser;
  const name = uniqueName('live');
  const namespace = stack().defaultNamespace;
  const listRequests: string[] = [];
  const streams: string[] = [];

  beforeAll(async () => {
    browser = await openBrowser();
    await signIn(browser.context);
    browser.page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/trpc/') && pathname.includes('deployments.changes')) streams.push(pathname);
      else if (pathname.includes('deployments.list') || /^\/api\/deployments\/?$/.test(pathname))
        listRequests.push(pathname);
    });
  });
  afterAll(async () => {
    await deleteDeployment(name, namespace);
    await browser.close();
  });

  it('shows a deployment applied with kubectl and its phases as they change', async () => {
    const { page } = browser;
    await page.goto('/deployments');
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    // Phases the row shows, recorded in the page as they change.
    await page.evaluate((key) => {
      const seen: string[] = [];
      (window as unknown as { phasesSeen: string[] }).phasesSeen = seen;
      const record = () => {
        const phase = document.querySelector(`tr[data-deployment="${key}"]`)?.getAttribute('data-phase');
        if (phase && seen.at(-1) !== phase) seen.push(phase);
      };
      new MutationObserver(record).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
      });
    }, `${namespace}/${name}`);

    await cluster().apply([modelDeployment(name, namespace)]);
    const row = page.locator(`tr[data-deployment="${namespace}/${name}"]`);
    await row.waitFor();
    await expect.poll(() => row.getAttribute('data-phase'), { timeout: 90_000 }).toBe('Running');
    const seen = await page.evaluate(() => (window as unknown as { phasesSeen: string[] }).phasesSeen);
    expect(seen.at(-1)).toBe('Running');
    expect(seen.length).toBeGreaterThan(1);
    expect(await row.textContent()).toContain('1/1');
    await screenshot(page, 'deployments-live');
  });

  it('drops it when it is deleted', async () => {
    const { page } = browser;
    await cluster().kubectlOk(['delete', 'modeldeployment', name, '-n', namespace, '--wait=false']);
    await expect
      .poll(() => page.locator(`tr[data-deployment="${namespace}/${name}"]`).count(), { timeout: 60_000 })
      .toBe(0);
  });

  it('never polled the list: every change came through the one stream', () => {
    expect(streams).toHaveLength(1);
    expect(listRequests).toEqual([]);
  });
});
