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

describe('[LIVE] filtering the Deployments list', () => {
  let browser: Browser;
  const namespace = stack().defaultNamespace;
  const running = uniqueName('filter-small');
  const waiting = uniqueName('filter-huge');
  const rowOf = (page: Browser['page'], name: string) =>
    page.locator(`tr[data-deployment="${namespace}/${name}"]`);

  beforeAll(async () => {
    browser = await openBrowser();
    await signIn(browser.context);
    // One that runs, one that can never be scheduled (16 GPUs on one node): two phases to filter.
    await cluster().apply([modelDeployment(running, namespace), modelDeployment(waiting, namespace, 16)]);
  });
  afterAll(async () => {
    await Promise.all([deleteDeployment(running, namespace), deleteDeployment(waiting, namespace)]);
    await browser.close();
  });

  it('narrows by phase, keeps the filter in the URL, and clears it', async () => {
    const { page } = browser;
    await page.goto('/deployments');
    await expect
      .poll(() => rowOf(page, running).getAttribute('data-phase'), { timeout: 90_000 })
      .toBe('Running');
    await expect
      .poll(() => rowOf(page, waiting).getAttribute('data-phase'), { timeout: 60_000 })
      .toBe('Pending');

    const phases = page.getByRole('list', { name: 'Filter by phase' });
    await phases.getByRole('button', { name: /Pending/ }).click();
    await page.waitForURL(/phase=Pending/);
    await expect.poll(() => rowOf(page, running).count()).toBe(0);
    expect(await rowOf(page, waiting).count()).toBe(1);
    expect(await phases.getByRole('button', { name: /Pending/ }).getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'deployments-filtered');

    // The filter is in the address: a reload (or a shared link) shows the same rows.
    await page.reload();
    await rowOf(page, waiting).waitFor();
    expect(await rowOf(page, running).count()).toBe(0);

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await rowOf(page, running).waitFor();
    expect(page.url()).not.toContain('phase=');
  });

  it('narrows by text, across name, model and engine', async () => {
    const { page } = browser;
    await page.getByRole('searchbox').fill(running);
    await page.waitForURL(new RegExp(`q=${running}`));
    await expect.poll(() => rowOf(page, waiting).count()).toBe(0);
    expect(await rowOf(page, running).count()).toBe(1);
    await page.getByRole('searchbox').fill('no-deployment-is-called-this');
    await page.getByText('No deployment matches these filters').waitFor();
  });
});
