// The whole product on this machine, as a user would run it: a real Kubernetes control plane
// with simulated GPU nodes (@airunway/testenv), the operator, the API with authentication on,
// and the dashboard's production build (`next start`). Nothing is mocked; each part runs as
// its own process from its build output. Outside services the API calls (HuggingFace, the
// Azure price list) are local stand-ins speaking their real protocols, and it installs providers
// with the real `helm` from a chart repository on 127.0.0.1 (tests have no outside network).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  UPSTREAM_CRD_SETS,
  repoRoot,
  startControlPlane,
  type ControlPlane,
  type ControlPlaneInfo,
  type NodeSpec,
} from '@airunway/testenv';
import { startChartRepo, type ChartRepo } from '@airunway/testenv/chart-repo';
import { startAzurePricesFixture } from '@airunway/testenv/azure-prices';
import { startHub } from './hub.js';
import { freePort, startProcess, waitForHttp, type RunningProcess } from './processes.js';

export interface StackInfo {
  readonly cluster: ControlPlaneInfo;
  /** The dashboard, e.g. http://127.0.0.1:41234 */
  readonly webUrl: string;
  readonly apiUrl: string;
  /** The HuggingFace stand-in (support/hub.ts): search, consent page, token endpoint. */
  readonly hubUrl: string;
  /** Where screenshots, logs and axe reports go (gitignored). */
  readonly artifactsDir: string;
  /** Namespace new deployments go to by default. */
  readonly defaultNamespace: string;
}

export interface Stack extends StackInfo {
  readonly stop: () => Promise<void>;
}

/** Two GPU pools of different models and a CPU node: enough to show fits and misfits. */
export const E2E_TOPOLOGY: readonly NodeSpec[] = [
  {
    kind: 'gpu',
    name: 'gpu-h100-0',
    gpu: 'H100-80GB',
    gpuCount: 8,
    pool: 'h100',
    instanceType: 'Standard_ND96isr_H100_v5',
    region: 'eastus2',
  },
  {
    kind: 'gpu',
    name: 'gpu-a100-0',
    gpu: 'A100-80GB',
    gpuCount: 4,
    pool: 'a100',
    instanceType: 'Standard_NC96ads_A100_v4',
    region: 'eastus2',
  },
  { kind: 'cpu', name: 'cpu-0', pool: 'system', instanceType: 'Standard_D16s_v5', region: 'eastus2' },
];

const run = promisify(execFile);
const DEFAULT_NAMESPACE = 'airunway-e2e';

/**
 * Every upstream CRD set but KubeRay's: KubeRay starts absent, as on a fresh cluster, so that
 * installing it from the Runtimes screen brings its CRDs and operator from the chart. It is
 * never chosen automatically, so no other spec's deployment depends on it.
 */
const PRELOADED_CRDS = UPSTREAM_CRD_SETS.filter((set) => set !== 'kuberay');

function built(path: string, what: string): string {
  if (!existsSync(path))
    throw new Error(
      `${what} is not built (${path} missing): run the build first (turbo does it for npm test)`,
    );
  return path;
}

/**
 * The product chart's ClusterRoles that add ModelDeployments to the built-in view and edit roles,
 * rendered with `helm template` from deploy/helm and applied, as installing the product does: so
 * the limited users (editor: edit in one namespace; viewer: view everywhere) have the rights a
 * real cluster would give them.
 */
async function grantModelDeploymentRoles(cluster: ControlPlane, helmPath: string): Promise<void> {
  const { stdout } = await run(helmPath, [
    'template',
    'airunway',
    join(repoRoot, 'deploy/helm/airunway'),
    '--show-only',
    'templates/rbac/modeldeployment-user-roles.yaml',
  ]);
  const file = join(cluster.workDir, 'modeldeployment-user-roles.yaml');
  await writeFile(file, stdout);
  await cluster.kubectlOk(['apply', '-f', file]);
}

export async function startStack(options: {
  artifactsDir: string;
  log?: (m: string) => void;
}): Promise<Stack> {
  const root = repoRoot;
  const log = options.log ?? (() => undefined);
  const logDir = join(options.artifactsDir, 'logs');
  const operatorMain = built(join(root, 'apps/operator/dist/main.js'), 'The operator');
  const apiMain = built(join(root, 'apps/api/dist/main.js'), 'The API');
  built(join(root, 'apps/web/.next/BUILD_ID'), 'The dashboard');
  const nextBin = join(root, 'node_modules/next/dist/bin/next');

  const cluster = await startControlPlane({ nodes: E2E_TOPOLOGY, upstreamCrds: PRELOADED_CRDS, log });
  const hub = await startHub();
  const prices = await startAzurePricesFixture();
  const processes: RunningProcess[] = [];
  let charts: ChartRepo | undefined;
  const stop = async () => {
    for (const p of [...processes].reverse()) await p.stop();
    await charts?.close();
    await prices.close();
    await hub.close();
    await cluster.stop();
  };
  try {
    const helmPath = join(cluster.binDir, 'helm');
    charts = await startChartRepo(helmPath);
    await cluster.createNamespace('airunway-system');
    await cluster.createNamespace(DEFAULT_NAMESPACE);
    await grantModelDeploymentRoles(cluster, helmPath);
    const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME, KUBECONFIG: cluster.kubeconfigPath };

    const runtime = JSON.parse(readFileSync(join(root, 'apps/operator/runtime.json'), 'utf8')) as {
      nodeArgs: string[];
      env: Record<string, string>;
    };
    const operatorPort = await freePort();
    const operator = startProcess(
      'operator',
      process.execPath,
      [...runtime.nodeArgs, operatorMain, '--leader-elect=false', `--health-port=${operatorPort}`],
      { cwd: root, env: { ...baseEnv, ...runtime.env, POD_NAME: 'e2e' }, logDir },
    );
    processes.push(operator);

    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const api = startProcess('api', process.execPath, [apiMain], {
      cwd: root,
      env: {
        ...baseEnv,
        PORT: String(apiPort),
        HOST: '127.0.0.1',
        AUTH_ENABLED: 'true',
        AIRUNWAY_NAMESPACE: 'airunway-system',
        DEFAULT_NAMESPACE,
        // No outside network in tests: HuggingFace (signing in with its OAuth app; the token
        // Secret goes where the e2e deployments run, and to `default`) and the Azure price list
        // are local stand-ins, and charts and CRD bundles come from the local repository (the
        // pinned versions, under the real names).
        HF_ENDPOINT: hub.url,
        HF_CLIENT_ID: hub.clientId,
        HF_SECRET_NAMESPACES: `${DEFAULT_NAMESPACE},default`,
        AZURE_RETAIL_PRICES_URL: prices.url,
        HELM_PATH: helmPath,
        ...charts.apiEnv,
        // Helm's cache and temporary kubeconfigs, removed with the control plane's work directory.
        AIRUNWAY_CACHE_DIR: join(cluster.workDir, 'api-cache'),
      },
      logDir,
    });
    processes.push(api);

    const webPort = await freePort();
    const webUrl = `http://127.0.0.1:${webPort}`;
    const web = startProcess(
      'web',
      process.execPath,
      [nextBin, 'start', '-p', String(webPort), '-H', '127.0.0.1'],
      {
        cwd: join(root, 'apps/web'),
        env: { ...baseEnv, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', AIRUNWAY_API_URL: apiUrl },
        logDir,
      },
    );
    processes.push(web);

    await Promise.all([
      waitForHttp(`http://127.0.0.1:${operatorPort}/readyz`, operator),
      waitForHttp(`${apiUrl}/readyz`, api),
      waitForHttp(`${webUrl}/login`, web),
    ]);
    log(`stack ready: dashboard ${webUrl}, API ${apiUrl}`);
    const { server, caCert, kubeconfigPath, users, editorNamespace, binDir, workDir, podLogFile } = cluster;
    return {
      cluster: { server, caCert, kubeconfigPath, users, editorNamespace, binDir, workDir, podLogFile },
      webUrl,
      apiUrl,
      hubUrl: hub.url,
      artifactsDir: options.artifactsDir,
      defaultNamespace: DEFAULT_NAMESPACE,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
