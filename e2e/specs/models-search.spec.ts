// HuggingFace search: debounced as the user types, kept in the URL, paged, each result with its
// size, engines, gated badge and a fit verdict per node — and deployable like a catalog model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type Browser } from '../support/browser.js';

describe('[MODELS] HuggingFace search', () => {
  let browser: Browser;
  const searches: string[] = [];

  beforeAll(async () => {
    browser = await openBrowser();
    await signIn(browser.context);
    browser.page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/models/search') searches.push(url.searchParams.get('q') ?? '');
    });
  });
  afterAll(async () => {
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
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('qwen3-0-6b-chat-v07');
    await page.locator('[data-testid="dry-run-fit"][data-fit="fits"]').waitFor();
  });
});
