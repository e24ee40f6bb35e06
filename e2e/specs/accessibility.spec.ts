// Every screen, in light and dark: an axe-core check (WCAG 2.1 A/AA, axe injected from the
// npm package) and a full-page screenshot into test-results/screenshots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  describeViolations,
  openBrowser,
  screenshot,
  signIn,
  stack,
  type Browser,
} from '../support/browser.js';
import { cluster, deleteDeployment, modelDeployment, uniqueName } from '../support/cluster.js';

const namespace = stack().defaultNamespace;
const running = uniqueName('a11y');
const waiting = uniqueName('a11y-big');

interface Screen {
  readonly name: string;
  readonly path: string;
  /** Something that is there once the screen has its data. */
  readonly ready: string;
}

const SCREENS: readonly Screen[] = [
  { name: 'models', path: '/models', ready: 'article[data-model-id="Qwen/Qwen3-0.6B"] >> text=Fits' },
  { name: 'deploy', path: '/deploy?model=Qwen%2FQwen3-0.6B', ready: '[data-testid="dry-run-fit"]' },
  {
    name: 'deployments',
    path: '/deployments',
    ready: `tr[data-deployment="${namespace}/${running}"][data-phase="Running"]`,
  },
  { name: 'deployment', path: `/deployments/${namespace}/${running}`, ready: '[data-testid="pods"]' },
  {
    name: 'deployment-pending',
    path: `/deployments/${namespace}/${waiting}`,
    ready: '[data-testid="pending-reasons"]',
  },
  { name: 'runtimes', path: '/runtimes', ready: 'article[data-provider="vllm"] >> text=Ready' },
  { name: 'settings', path: '/settings', ready: 'text=Session and server' },
];

describe.each(['light', 'dark'] as const)('[A11Y] every screen, %s', (scheme) => {
  let browser: Browser;

  beforeAll(async () => {
    if (scheme === 'light') {
      await cluster().apply([modelDeployment(running, namespace), modelDeployment(waiting, namespace, 16)]);
    }
    browser = await openBrowser({ colorScheme: scheme });
    await signIn(browser.context);
  });
  afterAll(async () => {
    await browser.close();
    if (scheme === 'dark') {
      await deleteDeployment(running, namespace);
      await deleteDeployment(waiting, namespace);
    }
  });

  it.each(SCREENS)('$name has no WCAG violations', async (screen) => {
    const { page } = browser;
    await page.goto(screen.path);
    await page.locator(screen.ready).first().waitFor({ timeout: 60_000 });
    // Let the live stream and the dry run settle so the picture is the steady state.
    await page.waitForTimeout(500);
    await screenshot(page, `${screen.name}-${scheme}`);
    const violations = await axeViolations(page, `${screen.name}-${scheme}`);
    expect(violations, describeViolations(violations)).toEqual([]);
  });

  it('the install dialog has no WCAG violations', async () => {
    const { page } = browser;
    await page.goto('/runtimes');
    await page.locator('article[data-provider="kaito"]').getByRole('button', { name: 'Install' }).click();
    const dialog = page.getByRole('dialog', { name: 'Install KAITO' });
    // The pinned chart and version, as the API would run them.
    await dialog.getByText('helm', { exact: false }).first().waitFor();
    expect(await dialog.textContent()).toContain('0.12.0');
    await screenshot(page, `install-dialog-${scheme}`);
    const violations = await axeViolations(page, `install-dialog-${scheme}`);
    expect(violations, describeViolations(violations)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('the sign-in screen has no WCAG violations', async () => {
    const signedOut = await openBrowser({ colorScheme: scheme });
    try {
      await signedOut.page.goto('/login');
      await signedOut.page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await signedOut.page.getByRole('button', { name: 'Sign in' }).waitFor();
      await screenshot(signedOut.page, `login-${scheme}`);
      const violations = await axeViolations(signedOut.page, `login-${scheme}`);
      expect(violations, describeViolations(violations)).toEqual([]);
    } finally {
      await signedOut.close();
    }
  });
});
