// A Helm chart repository on 127.0.0.1 for install tests (the API's and the browser tests'):
// charts named like the real ones (kuberay-operator 1.7.0, gpu-operator v26.7.0), packaged with
// the real `helm package` at test time, carrying the upstream CRDs and an operator Deployment
// whose pods carry the labels provider detection looks for. The same server serves Gateway API
// and Inference Extension release bundles built from the upstream CRD files. Point the API at
// it with HELM_CHART_MIRROR and the *_RELEASES_URL variables. Test support only: imported from
// `@airunway/testenv/chart-repo`, never by product code.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { PINNED_GAIE_VERSION, PINNED_GATEWAY_API_VERSION } from '@airunway/schema';
import { upstreamCrdFiles } from './crds.js';

const run = promisify(execFile);

export interface ChartRepo {
  /** Base URL of the Helm repository (index.yaml and the .tgz files). */
  readonly chartsUrl: string;
  readonly gatewayApiReleasesUrl: string;
  readonly inferenceExtensionReleasesUrl: string;
  /** The API's environment variables that make it install from here. */
  readonly apiEnv: Readonly<
    Record<'HELM_CHART_MIRROR' | 'GATEWAY_API_RELEASES_URL' | 'INFERENCE_EXTENSION_RELEASES_URL', string>
  >;
  /** Paths requested so far. */
  readonly requests: string[];
  close(): Promise<void>;
}

interface TestChart {
  readonly name: string;
  readonly version: string;
  readonly crdFiles: readonly string[];
  readonly templates: Readonly<Record<string, string>>;
}

function operatorDeployment(name: string, labels: Record<string, string>, image: string): string {
  const labelLines = Object.entries(labels)
    .map(([k, v]) => `        ${k}: ${v}`)
    .join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: {{ .Release.Namespace }}
spec:
  replicas: 1
  selector:
    matchLabels:
${labelLines.replace(/^ {8}/gm, '      ')}
  template:
    metadata:
      labels:
${labelLines}
    spec:
      serviceAccountName: ${name}
      containers:
        - name: manager
          image: ${image}
`;
}

function rbac(name: string, group: string): string {
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: {{ .Release.Namespace }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ${name}
rules:
  - apiGroups: ["${group}"]
    resources: ["*"]
    verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ${name}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: ${name}
subjects:
  - kind: ServiceAccount
    name: ${name}
    namespace: {{ .Release.Namespace }}
`;
}

async function testCharts(): Promise<TestChart[]> {
  return [
    {
      name: 'kuberay-operator',
      version: '1.7.0',
      crdFiles: await upstreamCrdFiles('kuberay'),
      templates: {
        'rbac.yaml': rbac('kuberay-operator', 'ray.io'),
        'deployment.yaml': operatorDeployment(
          'kuberay-operator',
          { 'app.kubernetes.io/name': 'kuberay-operator' },
          'quay.io/kuberay/operator:v1.7.0',
        ),
      },
    },
    {
      name: 'gpu-operator',
      version: 'v26.7.0',
      crdFiles: await upstreamCrdFiles('gpu-operator'),
      templates: {
        'rbac.yaml': rbac('gpu-operator', 'nvidia.com'),
        'deployment.yaml': operatorDeployment(
          'gpu-operator',
          { app: 'gpu-operator' },
          'nvcr.io/nvidia/gpu-operator:v26.7.0',
        ),
      },
    },
  ];
}

async function concatenate(files: readonly string[], extra = ''): Promise<string> {
  const docs = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  return [...docs, extra].filter(Boolean).join('\n---\n');
}

export async function startChartRepo(helmPath: string): Promise<ChartRepo> {
  const root = await mkdtemp(join(tmpdir(), 'airunway-chart-repo-'));
  const publicDir = join(root, 'public');
  const chartsDir = join(publicDir, 'charts');
  await mkdir(chartsDir, { recursive: true });
  const env = {
    PATH: process.env.PATH ?? '',
    HELM_CACHE_HOME: join(root, 'helm', 'cache'),
    HELM_CONFIG_HOME: join(root, 'helm', 'config'),
    HELM_DATA_HOME: join(root, 'helm', 'data'),
  };

  for (const chart of await testCharts()) {
    const dir = join(root, 'src', chart.name);
    await mkdir(join(dir, 'crds'), { recursive: true });
    await mkdir(join(dir, 'templates'), { recursive: true });
    await writeFile(
      join(dir, 'Chart.yaml'),
      `apiVersion: v2\nname: ${chart.name}\nversion: ${chart.version}\nappVersion: ${chart.version}\n`,
    );
    for (const file of chart.crdFiles) await copyFile(file, join(dir, 'crds', basename(file)));
    for (const [name, text] of Object.entries(chart.templates))
      await writeFile(join(dir, 'templates', name), text);
    await run(helmPath, ['package', dir, '--destination', chartsDir], { env });
  }
  await run(helmPath, ['repo', 'index', chartsDir], { env });

  // Gateway API bundle: the CRDs plus an object that is not a CRD, which the API must skip.
  const stray = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: gateway-system\n';
  const gatewayDir = join(publicDir, 'gateway-api', PINNED_GATEWAY_API_VERSION);
  const gaieDir = join(publicDir, 'gaie', PINNED_GAIE_VERSION);
  await mkdir(gatewayDir, { recursive: true });
  await mkdir(gaieDir, { recursive: true });
  await writeFile(
    join(gatewayDir, 'standard-install.yaml'),
    await concatenate(await upstreamCrdFiles('gateway-api'), stray),
  );
  await writeFile(
    join(gaieDir, 'manifests.yaml'),
    await concatenate(await upstreamCrdFiles('gateway-api-inference-extension')),
  );

  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const file = normalize(join(publicDir, path));
    if (!file.startsWith(publicDir)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'Content-Length': body.length }).end(body);
      },
      () => {
        res.writeHead(404).end('not found');
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const urls = {
    chartsUrl: `${base}/charts`,
    gatewayApiReleasesUrl: `${base}/gateway-api`,
    inferenceExtensionReleasesUrl: `${base}/gaie`,
  };
  return {
    ...urls,
    apiEnv: {
      HELM_CHART_MIRROR: urls.chartsUrl,
      GATEWAY_API_RELEASES_URL: urls.gatewayApiReleasesUrl,
      INFERENCE_EXTENSION_RELEASES_URL: urls.inferenceExtensionReleasesUrl,
    },
    requests,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      await rm(root, { recursive: true, force: true });
    },
  };
}
