// A provider installed from the Runtimes screen: KubeRay starts absent (no CRDs, no operator);
// Install runs the real Helm against the local chart repository as the signed-in admin, its
// progress streams into the dialog, the card turns Ready and the Deploy form offers KubeRay;
// Uninstall takes it away again (its CRDs stay, as Helm leaves them).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type Browser } from '../support/browser.js';
import { cluster } from '../support/cluster.js';

const CARD = 'article[data-provider="kuberay"]';
const DEPLOY_QWEN = '/deploy?model=Qwen%2FQwen3-0.6B';

/** Records in the page, as they appear, the output lines shown and whether the result is there. */
async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: { lines: number; finished: boolean }[] = [];
    (window as unknown as { progress: typeof seen }).progress = seen;
    const record = () => {
      const dialog = document.querySelector('dialog[open]');
      const lines = [...(dialog?.querySelectorAll('pre') ?? [])].reduce(
        (n, pre) => n + pre.textContent.split('\n').length,
        0,
      );
      const finished = [...(dialog?.querySelectorAll('[role="status"], [role="alert"]') ?? [])].some((n) =>
        /finished|failed/.test(n.textContent),
      );
      const last = seen.at(-1);
      if (!last || last.lines !== lines || last.finished !== finished) seen.push({ lines, finished });
    };
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
}

async function progressSeen(page: Page) {
  return page.evaluate(
    () => (window as unknown as { progress: { lines: number; finished: boolean }[] }).progress,
  );
}

describe('[RUNTIMES] installing a provider from the Runtimes screen', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await openBrowser();
    await signIn(browser.context);
  });
  afterAll(async () => {
    // Leaves the cluster as it found it, should a step above have failed half-way.
    await cluster().kubectl(['delete', 'namespace', 'ray-system', '--ignore-not-found', '--wait=false']);
    await browser.close();
  });

  it('before: KubeRay is not installed, and the Deploy form does not offer it', async () => {
    const { page } = browser;
    await page.goto('/runtimes');
    const card = page.locator(CARD);
    await card.getByText('Not installed', { exact: true }).waitFor();
    expect(await card.textContent()).toContain('CRDs missing');
    await card.getByRole('button', { name: 'Install' }).waitFor();
    await screenshot(page, 'runtimes-kuberay-absent');

    await page.goto(DEPLOY_QWEN);
    const radio = page.locator('input[name="provider"][value="kuberay"]');
    await page.locator('label').filter({ has: radio }).getByText('Not installed', { exact: true }).waitFor();
    expect(await radio.isDisabled()).toBe(true);
    expect(await page.locator('#runtime-kuberay-why').textContent()).toContain('not found');
  });

  it('installs it with Helm, the progress streaming into the dialog, until it is Ready', async () => {
    const { page } = browser;
    await page.goto('/runtimes');
    await page.locator(CARD).getByRole('button', { name: 'Install' }).click();
    const dialog = page.getByRole('dialog', { name: 'Install KubeRay' });
    // The pinned chart from the configured mirror, as the API will run it.
    await dialog.getByText('kuberay-operator', { exact: false }).first().waitFor();
    expect(await dialog.textContent()).toContain('--version 1.7.0');
    await screenshot(page, 'install-kuberay-dialog');

    await recordProgress(page);
    await dialog.getByRole('button', { name: 'Install', exact: true }).click();
    await dialog.getByText('Running', { exact: true }).first().waitFor();
    await screenshot(page, 'install-kuberay-running');
    await dialog.getByRole('status').filter({ hasText: 'Install finished' }).waitFor({ timeout: 120_000 });
    expect(await dialog.textContent()).toContain('STATUS: deployed');
    expect(await dialog.textContent()).toContain('KubeRay is installed and running');
    await screenshot(page, 'install-kuberay-finished');

    // Helm's output was on screen before the result: it streamed, it did not arrive at the end.
    const progress = await progressSeen(page);
    const firstOutput = progress.findIndex((p) => p.lines > 0);
    const finished = progress.findIndex((p) => p.finished);
    expect(firstOutput).toBeGreaterThanOrEqual(0);
    expect(firstOutput).toBeLessThan(finished);
    expect(progress.filter((p) => !p.finished && p.lines > 0).length).toBeGreaterThan(1);

    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const card = page.locator(CARD);
    await card.getByText('Ready', { exact: true }).waitFor();
    expect(await card.textContent()).toContain('version v1.7.0');
    expect(await card.textContent()).toContain('Operator running');
    await card.getByRole('button', { name: 'Uninstall' }).waitFor();
    await screenshot(page, 'runtimes-kuberay-ready');

    // Installed as the admin, by Helm: the release and the operator are in the cluster.
    const deployment = await cluster().kubectlOk([
      'get',
      'deployment',
      'kuberay-operator',
      '-n',
      'ray-system',
      '-o',
      'jsonpath={.metadata.labels.app\\.kubernetes\\.io/managed-by}',
    ]);
    expect(deployment).toBe('Helm');
  });

  it('the Deploy form now offers KubeRay, and the dry run picks it when chosen', async () => {
    const { page } = browser;
    await page.goto(DEPLOY_QWEN);
    const radio = page.locator('input[name="provider"][value="kuberay"]');
    const label = page.locator('label').filter({ has: radio });
    await label.getByText('Installed', { exact: true }).waitFor();
    expect(await radio.isDisabled()).toBe(false);
    await radio.check();
    await expect
      .poll(() => page.getByTestId('dry-run-selection').textContent(), { timeout: 20_000 })
      .toContain('kuberay');
    expect(await page.getByTestId('dry-run-selection').textContent()).toContain(
      'explicit provider selection',
    );
    await screenshot(page, 'deploy-form-kuberay-selectable');
  });

  it('uninstalls it: the card goes back to Not installed and the form stops offering it', async () => {
    const { page } = browser;
    await page.goto('/runtimes');
    await page.locator(CARD).getByRole('button', { name: 'Uninstall' }).click();
    const dialog = page.getByRole('dialog', { name: 'Uninstall KubeRay' });
    await dialog.getByRole('button', { name: 'Uninstall', exact: true }).click();
    await dialog.getByRole('status').filter({ hasText: 'Uninstall finished' }).waitFor({ timeout: 120_000 });
    expect(await dialog.textContent()).toContain('release "kuberay-operator" uninstalled');
    await screenshot(page, 'uninstall-kuberay-finished');
    await dialog.getByRole('button', { name: 'Close' }).click();

    const card = page.locator(CARD);
    await card.getByText('Not installed', { exact: true }).waitFor();
    // Helm leaves CRDs behind: established, with no operator to serve them.
    expect(await card.textContent()).toContain('CRDs established');
    expect(await card.textContent()).toContain('Operator not running');
    await card.getByRole('button', { name: 'Install' }).waitFor();
    await screenshot(page, 'runtimes-kuberay-uninstalled');

    await page.goto(DEPLOY_QWEN);
    const radio = page.locator('input[name="provider"][value="kuberay"]');
    await page.locator('label').filter({ has: radio }).getByText('Not installed', { exact: true }).waitFor();
    expect(await radio.isDisabled()).toBe(true);
  });
});
