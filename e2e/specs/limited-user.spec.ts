// Users with less than cluster-admin see and may do in the browser exactly what Kubernetes RBAC
// allows them, because the API acts as its caller: alice (the edit role in her own namespace)
// sees only that namespace's deployments and may deploy only there; bob (view everywhere) sees
// every deployment but is offered no change, nor a change of the settings or the HuggingFace
// token; neither is offered a provider install, on Runtimes or in the Deploy form. Every refusal
// says why, in the words of the 403 the API would answer.
import type { Page } from 'playwright-core';
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

const { editor: alice, viewer: bob } = stack().cluster.users;
const aliceNamespace = stack().cluster.editorNamespace;
const otherNamespace = stack().defaultNamespace;
const inHers = uniqueName('rbac-hers');
const elsewhere = uniqueName('rbac-other');
const deployedByHer = uniqueName('rbac-new');
/** Where the API keeps its settings (ConfigMap airunway-config). */
const productNamespace = 'airunway-system';

/** A screenshot, and the refusals are as accessible as the rest of the screen (axe-core). */
async function capture(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  const violations = await axeViolations(page, name);
  expect(violations, describeViolations(violations)).toEqual([]);
}

const row = (page: Page, namespace: string, name: string) =>
  page.locator(`tr[data-deployment="${namespace}/${name}"]`);

/** Opens the Deploy form for Qwen3-0.6B with `name` and `namespace` typed in. */
async function deployForm(page: Page, name: string, namespace: string): Promise<void> {
  await page.goto('/deploy?model=Qwen%2FQwen3-0.6B');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Namespace', { exact: true }).fill(namespace);
}

describe('[RBAC] limited users in the browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    // Created by the admin, one in alice's namespace and one where she has no rights.
    await cluster().apply([
      modelDeployment(inHers, aliceNamespace),
      modelDeployment(elsewhere, otherNamespace),
    ]);
  });
  afterAll(async () => {
    for (const [name, namespace] of [
      [inHers, aliceNamespace],
      [elsewhere, otherNamespace],
      [deployedByHer, aliceNamespace],
    ] as const)
      await deleteDeployment(name, namespace);
  });

  describe(`alice (edit in ${aliceNamespace})`, () => {
    beforeAll(async () => {
      browser = await openBrowser();
      await signIn(browser.context, alice.token);
    });
    afterAll(async () => {
      await browser.close();
    });

    it('the Deployments list shows only her namespace', async () => {
      const { page } = browser;
      await page.goto('/deployments');
      await row(page, aliceNamespace, inHers).waitFor();
      await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
      const keys = await page
        .locator('tr[data-deployment]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-deployment') ?? ''));
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.every((k) => k.startsWith(`${aliceNamespace}/`))).toBe(true);
      expect(await row(page, otherNamespace, elsewhere).count()).toBe(0);
      await screenshot(page, 'rbac-editor-deployments');
    });

    it('deploying into another namespace is refused in the form, with the reason', async () => {
      const { page } = browser;
      await deployForm(page, deployedByHer, otherNamespace);
      const refusal = page
        .getByRole('alert')
        .filter({ hasText: `You cannot deploy to namespace ${otherNamespace}` });
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain(
        `User "alice" cannot create modeldeployments.airunway.ai in namespace ${otherNamespace}`,
      );
      expect(await page.getByRole('button', { name: 'Deploy', exact: true }).isDisabled()).toBe(true);
      // Said once: the dry run's own 403 is not repeated as a second error.
      expect(await page.getByText('would refuse', { exact: false }).count()).toBe(0);
      // The manifest preview, a dry run as well, says why it is empty rather than "not yet".
      await page.getByText(`No preview: you cannot deploy to namespace ${otherNamespace}`).waitFor();
      expect(await page.getByText('No preview yet').count()).toBe(0);
      await capture(page, 'rbac-editor-deploy-refused');
    });

    it('deploying into her namespace works', async () => {
      const { page } = browser;
      await deployForm(page, deployedByHer, aliceNamespace);
      // She may not list nodes, so the fit is not checked; the deployment is still allowed.
      await page.locator('[data-testid="dry-run-fit"][data-fit="unknown"]').waitFor();
      expect(await page.getByText('You cannot deploy', { exact: false }).count()).toBe(0);
      const deploy = page.getByRole('button', { name: 'Deploy', exact: true });
      await expect.poll(() => deploy.isDisabled(), { timeout: 20_000 }).toBe(false);
      await deploy.click();
      await page.waitForURL(new RegExp(`/deployments/${aliceNamespace}/${deployedByHer}`));
      const header = page
        .locator('header')
        .filter({ has: page.getByRole('heading', { name: deployedByHer, exact: true }) });
      await header.getByText('Running', { exact: true }).waitFor({ timeout: 90_000 });
      // Hers to change: nothing is disabled or explained away.
      expect(await page.getByRole('button', { name: 'Scale' }).isDisabled()).toBe(false);
      expect(await page.getByRole('button', { name: 'Delete' }).isDisabled()).toBe(false);
      expect(await page.getByText('but not change it', { exact: false }).count()).toBe(0);
      await screenshot(page, 'rbac-editor-deployed');

      const phase = await cluster().kubectlOk([
        'get',
        'modeldeployment',
        deployedByHer,
        '-n',
        aliceNamespace,
        '-o',
        'jsonpath={.status.phase}',
      ]);
      expect(phase).toBe('Running');
    });

    it('Runtimes offers her no install, and says what she lacks', async () => {
      const { page } = browser;
      await page.goto('/runtimes');
      const card = page.locator('article[data-provider="kaito"]');
      await card.getByText('needs more rights than you have', { exact: false }).waitFor();
      expect(await card.textContent()).toContain(
        'User "alice" cannot create customresourcedefinitions.apiextensions.k8s.io',
      );
      expect(await page.getByRole('button', { name: 'Install' }).count()).toBe(0);
      await capture(page, 'rbac-editor-runtimes');
    });
  });

  describe('bob (view everywhere)', () => {
    beforeAll(async () => {
      browser = await openBrowser();
      await signIn(browser.context, bob.token);
    });
    afterAll(async () => {
      await browser.close();
    });

    it('sees the deployments of every namespace', async () => {
      const { page } = browser;
      await page.goto('/deployments');
      await row(page, aliceNamespace, inHers).waitFor();
      await row(page, otherNamespace, elsewhere).waitFor();
      await screenshot(page, 'rbac-viewer-deployments');
    });

    it('is offered no scale, edit or delete, and is told why', async () => {
      const { page } = browser;
      await row(page, otherNamespace, elsewhere).getByRole('link', { name: elsewhere }).click();
      await page.waitForURL(new RegExp(`/deployments/${otherNamespace}/${elsewhere}`));
      const why = page.getByText('You can view this deployment, but not change it');
      await why.waitFor();
      for (const name of ['Scale', 'Edit', 'Delete']) {
        const button = page.getByRole('button', { name, exact: true });
        expect(await button.isDisabled()).toBe(true);
        // The explanation is what a screen reader announces for the disabled button.
        expect(await button.getAttribute('aria-describedby')).toBe('deployment-refusals');
      }
      expect(await page.locator('#deployment-refusals').textContent()).toContain(
        `User "bob" cannot patch modeldeployments.airunway.ai in namespace ${otherNamespace}`,
      );
      await capture(page, 'rbac-viewer-deployment');
    });

    it('may not deploy: the form says so and offers no Deploy', async () => {
      const { page } = browser;
      await deployForm(page, uniqueName('rbac-bob'), aliceNamespace);
      const refusal = page
        .getByRole('alert')
        .filter({ hasText: `You cannot deploy to namespace ${aliceNamespace}` });
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain(
        `User "bob" cannot create modeldeployments.airunway.ai in namespace ${aliceNamespace}`,
      );
      expect(await page.getByRole('button', { name: 'Deploy', exact: true }).isDisabled()).toBe(true);
      await capture(page, 'rbac-viewer-deploy-refused');
    });

    it('the Deploy form invites no provider install, and the preview says why there is none', async () => {
      const { page } = browser;
      await deployForm(page, uniqueName('rbac-bob'), aliceNamespace);
      // KAITO is not installed in the test cluster (nor, for long, KubeRay): an admin can install it.
      const kaito = page.locator('label[data-provider="kaito"]');
      await kaito.getByText('— an administrator can install it.', { exact: false }).waitFor();
      expect(await kaito.getByText('Not installed', { exact: true }).count()).toBe(1);
      expect(await page.getByRole('link', { name: 'Install…' }).count()).toBe(0);

      const preview = page.getByText(`No preview: you cannot deploy to namespace ${aliceNamespace}`);
      await preview.waitFor();
      expect(await page.getByText('The preview is a dry run', { exact: false }).textContent()).toContain(
        `User "bob" cannot create modeldeployments.airunway.ai in namespace ${aliceNamespace}`,
      );
      expect(await page.getByText('No preview yet').count()).toBe(0);
      await capture(page, 'rbac-viewer-deploy-runtimes');
    });

    it('Settings: Save and the token’s Save are disabled, and say why', async () => {
      const { page } = browser;
      await page.goto('/settings');
      const namespaceRefusal = page.locator('#settings-namespace-refusal');
      await namespaceRefusal.getByText('You cannot change the default namespace').waitFor();
      expect(await namespaceRefusal.textContent()).toContain(
        `User "bob" cannot patch configmaps "airunway-config" in namespace ${productNamespace}`,
      );
      const save = page.getByRole('button', { name: 'Save', exact: true });
      expect(await save.isDisabled()).toBe(true);
      // The explanation is what a screen reader announces for the disabled button.
      expect(await save.getAttribute('aria-describedby')).toBe('settings-namespace-refusal');
      expect(await page.getByLabel('Namespace', { exact: true }).isEditable()).toBe(false);

      const tokenRefusal = page.locator('#settings-token-refusal');
      await tokenRefusal.getByText('You cannot save the token').waitFor();
      expect(await tokenRefusal.textContent()).toContain(
        `User "bob" cannot patch secrets "hf-token-secret" in namespace ${otherNamespace}`,
      );
      const saveToken = page.getByRole('button', { name: 'Save token', exact: true });
      expect(await saveToken.isDisabled()).toBe(true);
      expect(await saveToken.getAttribute('aria-describedby')).toBe('settings-token-refusal');
      await capture(page, 'rbac-viewer-settings');
    });

    it('Runtimes offers him no install either', async () => {
      const { page } = browser;
      await page.goto('/runtimes');
      await page
        .locator('article[data-provider="kuberay"]')
        .getByText('needs more rights than you have', { exact: false })
        .waitFor();
      expect(await page.getByRole('button', { name: 'Install' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Uninstall' }).count()).toBe(0);
      await screenshot(page, 'rbac-viewer-runtimes');
    });
  });
});
