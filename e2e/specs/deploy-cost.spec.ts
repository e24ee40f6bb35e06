// The Deploy screen's cost estimate: the GPUs the dry run places, priced at the Azure retail
// price of their node pool's instance type (the stack's API reads the shared price-list
// stand-in), prorated per GPU — and following the form as replicas and GPUs change. The
// expected figures are computed here from the stand-in's prices and the stack's nodes. A pool
// whose nodes name no cloud instance type gets the static estimate, which knows no price.
import type { NodeSpec } from '@airunway/testenv';
import { LINUX_PRICES } from '@airunway/testenv/azure-prices';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type Browser } from '../support/browser.js';
import { cluster } from '../support/cluster.js';
import { E2E_TOPOLOGY } from '../support/stack.js';

const HOURS_PER_MONTH = 730;
const usd = (amount: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(amount);

/** The price of one GPU of a pool: its instance's hourly price over the GPUs one node has. */
function perGpuHourly(pool: string): { price: number; instanceType: string; region: string } {
  const node = E2E_TOPOLOGY.find((n) => n.kind === 'gpu' && n.pool === pool);
  if (node?.kind !== 'gpu' || !node.instanceType || !node.region) throw new Error(`no GPU pool ${pool}`);
  const key = `${node.region}/${node.instanceType}`;
  const price = (LINUX_PRICES as Readonly<Record<string, number>>)[key];
  if (price === undefined) throw new Error(`the price list has no ${key}`);
  return { price: price / node.gpuCount, instanceType: node.instanceType, region: node.region };
}

/** The priced lines as the page shows them, and the totals expected from them. */
async function pricedLines(page: Page) {
  const lines = page.locator('[data-testid="dry-run-cost"] li[data-source="cloud"]');
  const found = await lines.evaluateAll((items) =>
    items.map((li) => ({
      pool: li.getAttribute('data-pool') ?? '',
      gpus: Number(li.getAttribute('data-gpus')),
      text: li.textContent,
    })),
  );
  const hourly = found.reduce((sum, line) => sum + perGpuHourly(line.pool).price * line.gpus, 0);
  return { lines: found, gpus: found.reduce((n, l) => n + l.gpus, 0), hourly };
}

describe('[COST] the Deploy screen estimates what a deployment costs', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await openBrowser();
    await signIn(browser.context);
  });
  afterAll(async () => {
    await browser.close();
  });

  const figures = (page: Page) => page.getByTestId('cost-figures').textContent();

  /** Waits for the estimate of `gpus` GPUs, then checks its figures against the price list. */
  async function expectEstimate(page: Page, gpus: number) {
    await expect.poll(async () => (await pricedLines(page)).gpus, { timeout: 20_000 }).toBe(gpus);
    const { lines, hourly } = await pricedLines(page);
    await expect
      .poll(() => figures(page))
      .toBe(`${usd(hourly)} per hour${usd(hourly * HOURS_PER_MONTH)} per month`);
    for (const line of lines) {
      const { price, instanceType, region } = perGpuHourly(line.pool);
      expect(line.text).toContain(`at ${usd(price)} per GPU-hour`);
      expect(line.text).toContain(`Azure retail price for ${instanceType} in ${region}, pay-as-you-go`);
    }
    return hourly;
  }

  it('prices one GPU at its pool’s Azure retail price, per hour and per month', async () => {
    const { page } = browser;
    await page.goto('/deploy?model=Qwen%2FQwen3-0.6B');
    await page.locator('[data-testid="dry-run-fit"][data-fit="fits"]').waitFor();
    const hourly = await expectEstimate(page, 1);
    expect(hourly).toBeGreaterThan(0);
    await screenshot(page, 'deploy-cost');
  });

  it('follows the form: three replicas of two GPUs cost six GPUs', async () => {
    const { page } = browser;
    const before = await figures(page);
    await page.getByLabel('Replicas', { exact: true }).fill('3');
    await expect.poll(() => figures(page)).not.toBe(before);
    await expectEstimate(page, 3);
    await page.getByLabel('GPUs per replica', { exact: true }).fill('2');
    await expectEstimate(page, 6);
    await screenshot(page, 'deploy-cost-scaled');
  });

  it('says why there is no estimate when the pods fit on no node', async () => {
    const { page } = browser;
    await page.getByLabel('GPUs per replica', { exact: true }).fill('16');
    await page.locator('[data-testid="dry-run-fit"][data-fit="does-not-fit"]').waitFor();
    await expect
      .poll(() => page.getByTestId('dry-run-cost').textContent())
      .toContain('Not estimated: the pods fit on no node now');
    expect(await page.getByTestId('cost-figures').count()).toBe(0);
  });
});

describe('[COST] a node pool without a cloud price', () => {
  let browser: Browser;
  // One GPU, so the dry run's best fit (the node with the fewest GPUs left) picks it; kwok's
  // default instance type label "gpu-node" is no cloud's.
  const node: NodeSpec = {
    kind: 'gpu',
    name: 'gpu-t4-unpriced-0',
    gpu: 'T4-16GB',
    gpuCount: 1,
    pool: 't4-unpriced',
    region: 'eastus2',
  };

  beforeAll(async () => {
    await cluster().addNodes([node]);
    browser = await openBrowser();
    await signIn(browser.context);
  });
  afterAll(async () => {
    await browser.close();
    await cluster().kubectl(['delete', 'node', node.name, '--wait=false']);
  });

  it('shows the static estimate and why there is no price, never a price of zero', async () => {
    const { page } = browser;
    await page.goto('/deploy?model=Qwen%2FQwen3-0.6B');
    const line = page.locator(
      '[data-testid="dry-run-cost"] li[data-source="static"][data-pool="t4-unpriced"]',
    );
    await expect.poll(() => line.count(), { timeout: 30_000 }).toBe(1);
    await expect
      .poll(() => line.textContent())
      .toBe(
        '1 GPU on node pool t4-unpriced: static estimate, no price known ' +
          '("gpu-node" is not an instance type of a cloud AI Runway knows).',
      );
    expect(await page.getByTestId('cost-figures').count()).toBe(0);
    await screenshot(page, 'deploy-cost-unpriced');
  });
});
