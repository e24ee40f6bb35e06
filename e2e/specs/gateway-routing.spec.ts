// A model routed through the inference Gateway: with a Gateway in the cluster and
// gateway.enabled on the ModelDeployment, the operator creates the InferencePool, its endpoint
// picker and an HTTPRoute matching the model's name, and the deployment page says where and how
// to call it. The test cluster runs no Gateway controller, so the spec writes the Gateway's
// address and the route's acceptance into their status as one would.
//
// The operator routes every ModelDeployment through the only Gateway in the cluster (unless
// gateway.enabled is false), so while this Gateway exists any other deployment is routed too.
// afterAll removes the Gateway and waits until the operator has taken every routing object and
// condition away again, so the specs that follow see a cluster without a Gateway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, stack, type Browser } from '../support/browser.js';
import { cluster, deleteDeployment, modelDeployment, uniqueName } from '../support/cluster.js';

const CONTROLLER = 'example.com/gateway-controller';
const ADDRESS = '10.0.0.50';
/** Not the scheme's default port, so the endpoint shows that it comes from the listener. */
const LISTENER_PORT = 8080;
/** Every routing object the operator creates carries this label (and so do the picker's pods). */
const ROUTING_LABEL = 'app.kubernetes.io/name=inference-gateway';
const ROUTING_KINDS =
  'deployments,services,serviceaccounts,roles,rolebindings,pods,inferencepools,inferencemodelrewrites,httproutes';

/** Writes an object's status subresource, as its controller would. */
async function writeStatus(resource: string, name: string, namespace: string, status: object) {
  await cluster().kubectlOk([
    'patch',
    resource,
    name,
    '-n',
    namespace,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status }),
  ]);
}

function condition(type: string, reason: string, observedGeneration: number) {
  return {
    type,
    status: 'True',
    reason,
    message: '',
    observedGeneration,
    lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/** Every routing object in the cluster, one `kind/name` a line. */
function routingObjects(): Promise<string> {
  return cluster().kubectlOk(['get', ROUTING_KINDS, '-A', '-l', ROUTING_LABEL, '-o', 'name']);
}

/** Polls `check` until it is true (expect.poll is for tests, this is for cleaning up). */
async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not done after ${timeoutMs} ms: ${check.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

async function exists(kind: string, name: string, namespace = stack().defaultNamespace): Promise<boolean> {
  return (await cluster().kubectl(['get', kind, name, '-n', namespace])).code === 0;
}

/** Deployments anywhere whose status still speaks of a Gateway. */
async function deploymentsMentioningGateway(): Promise<string[]> {
  const { items = [] } = await getJson(['get', 'modeldeployments', '-A']);
  return items
    .filter((md) => JSON.stringify(md.status ?? {}).includes('Gateway'))
    .map((md) => `${md.metadata.namespace}/${md.metadata.name}`);
}

async function getJson(args: readonly string[]) {
  return JSON.parse(await cluster().kubectlOk([...args, '-o', 'json'])) as {
    metadata: { generation: number };
    status?: Record<string, unknown>;
    items?: { metadata: { namespace: string; name: string }; status?: Record<string, unknown> }[];
  };
}

describe('[GATEWAY] a deployment routed through the inference Gateway', () => {
  let browser: Browser;
  const namespace = stack().defaultNamespace;
  const name = uniqueName('routed');
  // Says nothing about a Gateway: routed all the same while the only Gateway exists.
  const bystander = uniqueName('bystander');
  const gatewayClass = uniqueName('e2e-gateways');
  const gateway = uniqueName('inference');
  const endpoint = `http://${ADDRESS}:${LISTENER_PORT}`;
  // The name the model server serves (the last segment of the model id), sent as `model`.
  const modelName = 'Qwen3-0.6B';

  beforeAll(async () => {
    browser = await openBrowser();
    await signIn(browser.context);
    await cluster().apply([
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'GatewayClass',
        metadata: { name: gatewayClass },
        spec: { controllerName: CONTROLLER },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: gateway, namespace },
        spec: {
          gatewayClassName: gatewayClass,
          listeners: [{ name: 'http', port: LISTENER_PORT, protocol: 'HTTP' }],
        },
      },
    ]);
    const { metadata } = await getJson(['get', 'gateway', gateway, '-n', namespace]);
    await writeStatus('gateway', gateway, namespace, {
      addresses: [{ type: 'IPAddress', value: ADDRESS }],
      conditions: [
        condition('Accepted', 'Accepted', metadata.generation),
        condition('Programmed', 'Programmed', metadata.generation),
      ],
    });
    const md = modelDeployment(name, namespace);
    await cluster().apply([
      { ...md, spec: { ...md.spec, gateway: { enabled: true } } },
      modelDeployment(bystander, namespace),
    ]);
  });

  async function removeGateway() {
    await cluster().kubectl(['delete', 'gateway', gateway, '-n', namespace, '--ignore-not-found']);
    await cluster().kubectl(['delete', 'gatewayclass', gatewayClass, '--ignore-not-found']);
  }

  afterAll(async () => {
    await Promise.all([deleteDeployment(name, namespace), deleteDeployment(bystander, namespace)]);
    await removeGateway();
    // Whatever the tests got to, the next spec must find no routing objects left.
    await until(async () => (await routingObjects()) === '', 120_000);
    await until(async () => (await deploymentsMentioningGateway()).length === 0, 60_000);
    await browser.close();
  });

  it('waits for the Gateway controller to accept the route, then shows how to call the model through it', async () => {
    const { page } = browser;
    // The operator creates the route; until a controller accepts it the page says so.
    await expect.poll(() => exists('httproute', name), { timeout: 60_000 }).toBe(true);
    await page.goto(`/deployments/${namespace}/${name}`);
    // Routing never holds the model back: it runs (and answers on its Service) meanwhile.
    const header = page.locator('header').filter({ has: page.getByRole('heading', { name, exact: true }) });
    await header.getByText('Running', { exact: true }).waitFor({ timeout: 90_000 });
    const gatewayReady = page.locator('tr', { hasText: 'GatewayReady' });
    await gatewayReady.getByText('RoutePending').waitFor({ timeout: 60_000 });
    // The Gateway has its address already, so the example is there, with why it fails for now.
    const notRouted = page.getByText('The Gateway does not route to it yet');
    await notRouted.waitFor();
    expect(await page.getByText(/has not processed HTTPRoute/).count()).toBe(2);
    await screenshot(page, 'deployment-gateway-pending');

    const { metadata } = await getJson(['get', 'httproute', name, '-n', namespace]);
    await writeStatus('httproute', name, namespace, {
      parents: [
        {
          parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace, name: gateway },
          controllerName: CONTROLLER,
          conditions: [
            condition('Accepted', 'Accepted', metadata.generation),
            condition('ResolvedRefs', 'ResolvedRefs', metadata.generation),
          ],
        },
      ],
    });

    // The page follows the change without a reload.
    await gatewayReady.getByText('RouteAccepted').waitFor({ timeout: 60_000 });
    expect(await gatewayReady.getByText('True', { exact: true }).count()).toBe(1);
    expect(await gatewayReady.textContent()).toContain(
      `requests with "model": "${modelName}" sent to ${endpoint} are routed to this deployment`,
    );
    expect(await page.locator('dt:text-is("Gateway") + dd').textContent()).toBe(endpoint);
    expect(await notRouted.count()).toBe(0);

    const curl = await page.getByLabel('Through the inference Gateway').textContent();
    expect(curl).toContain(`curl ${endpoint}/v1/chat/completions`);
    // The Gateway's body-based router reads the model from the body into the route's header.
    const body = /-d '(.*)'/.exec(curl ?? '')?.[1];
    expect(JSON.parse(body ?? '{}')).toMatchObject({ model: modelName });
    await screenshot(page, 'deployment-gateway');
  });

  it('offers the Gateway on the Deploy form: Automatic routes through it, Off leaves it out', async () => {
    // A page of its own: the deployment page stays open for the tests that follow.
    const page = await browser.context.newPage();
    try {
      const draft = uniqueName('gateway-form');
      await page.goto('/deploy?model=Qwen%2FQwen3-0.6B');
      await page.getByLabel('Name', { exact: true }).fill(draft);
      const routing = page.getByRole('group', { name: 'Inference Gateway' });
      expect(await routing.getByRole('radio', { name: 'Automatic' }).isChecked()).toBe(true);
      // Automatic says what it means in this cluster: the Gateway the operator would route through.
      await expect
        .poll(() => routing.textContent())
        .toContain(`Routed through ${namespace}/${gateway} at ${endpoint}`);
      const modelNameField = page.getByLabel('Model name at the Gateway');
      expect(await modelNameField.getAttribute('placeholder')).toBe(modelName);
      const yaml = page.locator('#md-yaml');
      await expect.poll(() => yaml.inputValue()).toContain(`name: ${draft}`);
      expect(await yaml.inputValue()).not.toContain('gateway:');
      // The dry run routes it: the operator would create the HTTPRoute.
      const objects = page.getByRole('tab', { name: /Provider objects/ });
      const route = page.getByLabel(`HTTPRoute ${draft} (gateway.networking.k8s.io/v1)`, { exact: true });
      await objects.click();
      await route.waitFor();
      const objectCount = async () => Number(/\d+/.exec((await objects.textContent()) ?? '')?.[0]);
      const routedCount = await objectCount();
      await screenshot(page, 'deploy-form-gateway');

      await page.getByRole('tab', { name: 'ModelDeployment', exact: true }).click();
      await routing.getByRole('radio', { name: 'Off' }).check();
      expect(await routing.textContent()).toContain('Served through its Service only');
      // The model name has no use without routing, so it is not offered.
      expect(await modelNameField.count()).toBe(0);
      await expect.poll(() => yaml.inputValue()).toMatch(/\n {2}gateway:\n {4}enabled: false(\n|$)/);
      // The preview shows the dry run that answered for Off: its objects route nothing.
      await objects.click();
      expect(await objectCount()).toBeGreaterThan(0);
      expect(await objectCount()).toBeLessThan(routedCount);
      expect(await route.count()).toBe(0);
      await screenshot(page, 'deploy-form-gateway-off');
    } finally {
      await page.close();
    }
  });

  it('lists the InferencePool and the HTTPRoute among its manifests', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Manifests' }).click();
    await page.getByText(`ModelDeployment ${name} (airunway.ai/v1alpha1)`, { exact: true }).waitFor();
    await page.getByText(`InferencePool ${name} (inference.networking.k8s.io/v1)`, { exact: true }).waitFor();
    await page.getByText(`HTTPRoute ${name} (gateway.networking.k8s.io/v1)`, { exact: true }).waitFor();
    const route = await page
      .getByLabel(`HTTPRoute ${name} (gateway.networking.k8s.io/v1)`, { exact: true })
      .textContent();
    // It matches the model-name header the router sets from the body, and sends to the pool.
    expect(route).toContain('X-Gateway-Model-Name');
    expect(route).toContain(modelName);
    expect(route).toContain('InferencePool');
    await screenshot(page, 'deployment-gateway-manifests');
  });

  it('stops routing every deployment when the Gateway goes', async () => {
    // The bystander was routed too, without asking: the Gateway was the only one in the cluster.
    await expect.poll(() => exists('httproute', bystander), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => exists('inferencepool', bystander)).toBe(true);
    await removeGateway();
    await expect.poll(routingObjects, { timeout: 60_000, interval: 1_000 }).toBe('');
    // The bystander is quietly unrouted: no gateway status, no GatewayReady left behind.
    await expect
      .poll(async () => JSON.stringify((await getJson(['get', 'md', bystander, '-n', namespace])).status), {
        timeout: 60_000,
        interval: 1_000,
      })
      .not.toContain('Gateway');
    // The deployment that asked for routing is told why it has none, on its page too.
    const { page } = browser;
    await page.getByRole('tab', { name: 'Overview' }).click();
    const gatewayReady = page.locator('tr', { hasText: 'GatewayReady' });
    await gatewayReady.getByText('NoGateway').waitFor({ timeout: 60_000 });
    expect(await gatewayReady.getByText('False', { exact: true }).count()).toBe(1);
    expect(await gatewayReady.textContent()).toContain('no Gateway exists in the cluster');
    // The Gateway's endpoint and curl example go; the port-forward stays.
    await page.getByLabel('From your machine, through a port-forward').waitFor();
    await expect.poll(() => page.getByLabel('Through the inference Gateway').count()).toBe(0);
    expect(await page.locator('dt:text-is("Gateway")').count()).toBe(0);
    await screenshot(page, 'deployment-gateway-gone');
  });
});
