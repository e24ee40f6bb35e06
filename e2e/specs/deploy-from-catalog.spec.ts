// The main path: find Qwen3-0.6B in the catalog, deploy it with the guided form, watch it come
// up, scale it, follow its logs, read its manifests, delete it — in the browser, against the
// real stack.
import { SIMULATED_POD_LOG_LINES } from '@airunway/testenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, stack, type Browser } from '../support/browser.js';
import { cluster, deleteDeployment, uniqueName } from '../support/cluster.js';

describe('[DEPLOY] Qwen3-0.6B from the catalog', () => {
  let browser: Browser;
  const name = uniqueName('qwen-e2e');
  const namespace = stack().defaultNamespace;
  const subscriptions: string[] = [];

  beforeAll(async () => {
    browser = await openBrowser();
    await signIn(browser.context);
    browser.page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/trpc/') && path.endsWith('Changes')) subscriptions.push(path.slice(6));
    });
  });
  afterAll(async () => {
    await deleteDeployment(name, namespace);
    await browser.close();
  });

  it('shows the catalog with a GPU-fit verdict from the live cluster', async () => {
    const { page } = browser;
    await page.goto('/models');
    const card = page.locator('article[data-model-id="Qwen/Qwen3-0.6B"]');
    // The verdict needs the API's first read of the nodes; on a busy machine that takes seconds.
    await expect
      .poll(() => card.getByText('Fits', { exact: true }).count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await expect.poll(() => card.textContent()).toContain('H100');
    await screenshot(page, 'models-catalog');
  });

  it('deploys it with the guided form and follows it to Running', async () => {
    const { page } = browser;
    await page
      .locator('article[data-model-id="Qwen/Qwen3-0.6B"]')
      .getByRole('link', { name: 'Deploy Qwen3 0.6B' })
      .click();
    await page.waitForURL(/\/deploy\?model=Qwen%2FQwen3-0\.6B/);
    await page.getByLabel('Name', { exact: true }).fill(name);
    // The dry run answers for the name typed, with the scheduler's verdict and the choice made.
    await page.locator('[data-testid="dry-run-fit"][data-fit="fits"]').waitFor();
    await expect.poll(() => page.locator('#md-yaml').inputValue()).toContain(`name: ${name}`);
    await expect.poll(() => page.getByTestId('dry-run-selection').textContent()).toContain('vllm');
    // Gateway routing is left to the operator, and the form says what that means here: this
    // cluster has no Gateway (gateway-routing.spec.ts covers one that has).
    await expect
      .poll(() => page.getByRole('group', { name: 'Inference Gateway' }).textContent())
      .toContain('No Gateway in the cluster: served through its Service only.');
    expect(await page.locator('#md-yaml').inputValue()).not.toContain('gateway:');
    await screenshot(page, 'deploy-form');

    await page.getByRole('button', { name: 'Deploy', exact: true }).click();
    await page.waitForURL(new RegExp(`/deployments/${namespace}/${name}`));
    const header = page.locator('header').filter({ has: page.getByRole('heading', { name, exact: true }) });
    await header.getByText('Running', { exact: true }).waitFor({ timeout: 90_000 });
    await expect.poll(() => page.getByTestId('pods').textContent()).toContain('Ready');
    // The operator's event for the phase change arrives after the status: it must appear
    // without a reload (the events table follows the API's subscription).
    const running = page.getByTestId('events').locator('tr', { hasText: 'Running' });
    await running.first().waitFor({ timeout: 30_000 });
    expect(await running.first().textContent()).toContain('ModelDeployment');
    expect(subscriptions).toContain('deployments.eventChanges');
    await screenshot(page, 'deployment-running');

    const md = JSON.parse(
      await cluster().kubectlOk(['get', 'modeldeployment', name, '-n', namespace, '-o', 'json']),
    ) as {
      spec: { model: { id: string } };
      status: { phase: string };
    };
    expect(md.spec.model.id).toBe('Qwen/Qwen3-0.6B');
    expect(md.status.phase).toBe('Running');
  });

  it('scales it to two replicas in place', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Scale' }).click();
    const dialog = page.getByRole('dialog', { name: `Scale ${name}` });
    await dialog.getByLabel('Replicas').fill('2');
    await dialog.getByRole('button', { name: 'Scale' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByText('2 ready of 2').count(), { timeout: 60_000 }).toBe(1);
    const replicas = await cluster().kubectlOk([
      'get',
      'modeldeployment',
      name,
      '-n',
      namespace,
      '-o',
      'jsonpath={.spec.scaling.replicas}',
    ]);
    expect(replicas).toBe('2');
    // The operator reports the change it applied, and the events table shows it live.
    await page
      .getByTestId('events')
      .locator('tr', { hasText: `Deployment ${name} updated` })
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshot(page, 'deployment-scaled');
  });

  it('follows its logs live and shows its metrics', async () => {
    const { page } = browser;
    // The followed stream (EventSource) of the Logs tab: one request, whatever arrives on it.
    const logStreams: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.endsWith(`/deployments/${name}/logs`) && url.searchParams.get('follow') === 'true')
        logStreams.push(url.search);
    });
    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.getByLabel('Pod', { exact: true }).waitFor();
    const logs = page.getByTestId('logs');
    // Simulated pods run no containers; the control plane serves lines that say so.
    await expect.poll(() => logs.textContent(), { timeout: 30_000 }).toContain(SIMULATED_POD_LOG_LINES[0]);
    await page.getByRole('status').filter({ hasText: 'Following' }).waitFor();
    expect(logStreams).toHaveLength(1);

    // A line written after the tab opened arrives on the open stream, without a reload.
    const line = `INFO request served by ${name} at ${new Date().toISOString()}`;
    await cluster().appendPodLog(line);
    await expect.poll(() => logs.textContent(), { timeout: 15_000 }).toContain(line);
    expect(logStreams).toHaveLength(1);
    await screenshot(page, 'deployment-logs');

    await page.getByRole('tab', { name: 'Metrics' }).click();
    await page.getByRole('button', { name: 'Refresh' }).waitFor();
    await screenshot(page, 'deployment-metrics');
  });

  it('shows the ModelDeployment and the objects the operator created', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Manifests' }).click();
    await page.getByText(`ModelDeployment ${name} (airunway.ai/v1alpha1)`, { exact: true }).waitFor();
    await page.getByText(`Deployment ${name} (apps/v1)`, { exact: true }).waitFor();
    await page.getByText(`Service ${name} (v1)`, { exact: true }).waitFor();
    await screenshot(page, 'deployment-manifests');
  });

  it('deletes it and the list stops showing it', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: `Delete ${name}?` })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.waitForURL(/\/deployments\?deleted=/);
    await expect
      .poll(() => page.locator(`tr[data-deployment="${namespace}/${name}"]`).count(), { timeout: 60_000 })
      .toBe(0);
    const left = await cluster().kubectl(['get', 'modeldeployment', name, '-n', namespace]);
    expect(left.stderr).toContain('NotFound');
  });
});
