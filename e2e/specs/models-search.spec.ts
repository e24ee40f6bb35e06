// HuggingFace search: debounced as the user types, kept in the URL, paged, each result with its
// size, engines, gated badge and a fit verdict per node — and deployable like a catalog model,
// followed to Running and deleted again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, stack, type Browser } from '../support/browser.js';
import { cluster, deleteDeployment } from '../support/cluster.js';

describe('[MODELS] HuggingFace search', () => {
  let browser: Browser;
  const searches: string[] = [];
  // The name the form derives from the repository; the stack is fresh for every run.
  const name = 'qwen3-0-6b-chat-v07';
  const namespace = stack().defaultNamespace;

  beforeAll(async () => {
    browser = await openBrowser();
    await signIn(browser.context);
    browser.page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/models/search') searches.push(url.searchParams.get('q') ?? '');
    });
  });
  afterAll(async () => {
    // Whatever happened above, leave no deployment behind for the other specs.
    await deleteDeployment(name, namespace);
    await browser.close();
  });

  it('searches once the user stops typing, and shows fit verdicts for each result', async () => {
    const { page } = browser;
    await page.goto('/models?tab=search');
    await page.getByLabel('Search HuggingFace models').pressSequentially('llama', { delay: 40 });
    const big = page.locator('article[data-model-id="meta-llama/Llama-3.1-405B-Instruct"]');
    await big.waitFor();
    // One request for the settled query, not one per keystroke.
    expect(searches).toEqual(['llama']);
    expect(page.url()).toContain('q=llama');
    expect(await big.getByText('Gated', { exact: true }).count()).toBe(1);
    expect(await big.textContent()).toContain(
      "Won't fit: needs 14 GPUs on one node; the largest GPU node has 8",
    );
    const small = page.locator('article[data-model-id="meta-llama/Llama-3.1-8B-Instruct"]');
    expect(await small.textContent()).toContain('Fits on 2 nodes: 1 × ');
    await screenshot(page, 'models-search');
  });

  it('pages through results', async () => {
    const { page } = browser;
    await page.getByLabel('Search HuggingFace models').fill('qwen');
    await page.getByText('Showing 1–20').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Showing 21–27 of 27').waitFor();
    expect(page.url()).toContain('page=1');
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
  });

  it('opens the deploy form for a search result, with what the search knew about it', async () => {
    const { page } = browser;
    await page.getByLabel('Search HuggingFace models').fill('chat-v07');
    await page
      .locator('article[data-model-id="e2e-lab/qwen3-0.6b-chat-v07"]')
      .getByRole('link', { name: /^Deploy/ })
      .click();
    await page.waitForURL(/\/deploy\?model=e2e-lab%2Fqwen3-0\.6b-chat-v07/);
    await page.getByRole('heading', { name: 'Deploy qwen3-0.6b-chat-v07' }).waitFor();
    await page.getByText('≈ 1.8 GB GPU memory').waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe(name);
    await page.locator('[data-testid="dry-run-fit"][data-fit="fits"]').waitFor();
  });

  it('deploys the search result and follows it to Running, then deletes it', async () => {
    const { page } = browser;
    await expect
      .poll(() => page.locator('#md-yaml').inputValue())
      .toContain('id: e2e-lab/qwen3-0.6b-chat-v07');
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();
    await page.waitForURL(new RegExp(`/deployments/${namespace}/${name}`));
    const header = page.locator('header').filter({ has: page.getByRole('heading', { name, exact: true }) });
    await header.getByText('Running', { exact: true }).waitFor({ timeout: 90_000 });
    await expect.poll(() => page.getByTestId('pods').textContent()).toContain('Ready');
    await screenshot(page, 'models-search-deployed');
    const md = JSON.parse(
      await cluster().kubectlOk(['get', 'modeldeployment', name, '-n', namespace, '-o', 'json']),
    ) as { spec: { model: { id: string } }; status: { phase: string } };
    expect(md.spec.model.id).toBe('e2e-lab/qwen3-0.6b-chat-v07');
    expect(md.status.phase).toBe('Running');

    await page.getByRole('button', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: `Delete ${name}?` })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.waitForURL(/\/deployments\?deleted=/);
    await expect
      .poll(async () => (await cluster().kubectl(['get', 'modeldeployment', name, '-n', namespace])).stderr, {
        timeout: 60_000,
      })
      .toContain('NotFound');
  });
});
