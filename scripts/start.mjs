// `npm start`: AI Runway on this machine. With a reachable cluster in the current kubeconfig it
// runs against that cluster (installing the ModelDeployment CRD only with the user's consent);
// with none, or with --local, it starts the embedded control plane with simulated GPU and CPU
// nodes (packages/testenv). Then it runs the operator, the API and the dashboard as their own
// processes, and on Ctrl-C stops everything it started, in reverse order, leaving nothing behind.
//
//   npm start                 the current cluster if reachable, else the embedded one
//   npm start -- --local      always the embedded control plane
//   npm start -- --yes        install the CRD into the current cluster without asking
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { KubeClient, Resources, isNotFound, loadClusterConnection } from '../packages/kube/dist/index.js';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..');
const { values: flags } = parseArgs({
  options: {
    local: { type: 'boolean', default: false },
    yes: { type: 'boolean', short: 'y', default: false },
    'api-port': { type: 'string', default: '3001' },
    'web-port': { type: 'string', default: '3000' },
    'operator-health-port': { type: 'string', default: '8081' },
  },
});
const API_PORT = Number(flags['api-port']);
const WEB_PORT = Number(flags['web-port']);
const OPERATOR_HEALTH_PORT = Number(flags['operator-health-port']);
const CRD_NAME = 'modeldeployments.airunway.ai';
const CRD_FILE = join(root, 'deploy/crds/airunway.ai_modeldeployments.yaml');
// The operator's Node.js flags and environment, the same everywhere it runs.
const operatorRuntime = JSON.parse(readFileSync(join(root, 'apps/operator/runtime.json'), 'utf8'));

/** Processes in start order; stopped in reverse. */
const children = [];
let stopping = false;

function start(name, args, env = {}) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push({ name, child });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`airunway: ${name} exited (${signal ?? code}); stopping`);
      stop(1);
    }
  });
  return child;
}

const exited = (c) =>
  c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r));

async function stopAll() {
  // Last started first: the API and operator would only log errors once the cluster is gone.
  for (const { child } of [...children].reverse()) {
    child.kill('SIGTERM');
    await exited(child);
  }
}

function stop(code) {
  if (stopping) return;
  stopping = true;
  console.error('airunway: stopping …');
  void stopAll().then(() => {
    console.error('airunway: stopped');
    process.exit(code);
  });
}

// A closed terminal or pipe must not abort the shutdown and leave children running.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

// Ctrl-C reaches this process and, through the terminal, its children too; both handle it.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));

/** JSON log lines of a product process, shown as readable warnings and errors only. */
function showProblems(name, child) {
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      const entry = JSON.parse(line);
      if (entry.level === 'warn' || entry.level === 'error')
        console.error(`${name}: ${entry.level}: ${entry.msg}`);
    } catch {
      console.error(`${name}: ${line}`);
    }
  });
  child.stderr.pipe(process.stderr);
}

/**
 * The current kubeconfig's cluster, when one is configured and answers within a few seconds;
 * with whether the CRD is installed. Undefined when there is none or it does not answer.
 */
async function currentCluster() {
  let connection;
  try {
    connection = loadClusterConnection();
  } catch {
    return undefined; // no kubeconfig at all
  }
  const client = new KubeClient({ connection, userAgent: 'airunway-start' });
  try {
    await client.get(Resources.CustomResourceDefinition, CRD_NAME, { signal: AbortSignal.timeout(5000) });
    return { client, crdInstalled: true, source: connection.source ?? 'the current kubeconfig' };
  } catch (err) {
    if (isNotFound(err))
      return { client, crdInstalled: false, source: connection.source ?? 'the current kubeconfig' };
    await client.close();
    return undefined;
  }
}

async function confirm(question) {
  if (flags.yes) return true;
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await new Promise((resolve) => rl.question(`${question} [y/N] `, resolve));
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

function startOperatorAndApi(kubeconfig) {
  const kube = kubeconfig ? { KUBECONFIG: kubeconfig } : {};
  const operator = start(
    'operator',
    [
      ...operatorRuntime.nodeArgs,
      'apps/operator/dist/main.js',
      '--leader-elect=false',
      `--health-port=${OPERATOR_HEALTH_PORT}`,
    ],
    { ...operatorRuntime.env, ...kube, POD_NAME: 'local' },
  );
  showProblems('operator', operator);
  // Single-user local mode: the API acts with the local kubeconfig, without sign-in.
  const api = start('api', ['apps/api/dist/main.js'], {
    ...kube,
    PORT: String(API_PORT),
    AUTH_ENABLED: 'false',
  });
  showProblems('api', api);
  const web = start(
    'dashboard',
    ['node_modules/next/dist/bin/next', 'start', 'apps/web', '-p', String(WEB_PORT), '-H', '127.0.0.1'],
    {
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      AIRUNWAY_API_URL: `http://127.0.0.1:${API_PORT}`,
    },
  );
  showProblems('dashboard', web);
}

function banner(kubectlLine) {
  return [
    `Dashboard: http://127.0.0.1:${WEB_PORT}`,
    `API:       http://127.0.0.1:${API_PORT}/api (docs: http://127.0.0.1:${API_PORT}/api/openapi.json)`,
    `Operator:  metrics and health on http://127.0.0.1:${OPERATOR_HEALTH_PORT}/metrics`,
    'Apply a ModelDeployment and watch it reach Running:',
    `  ${kubectlLine} apply -f packages/schema/src/examples/qwen-demo.yaml`,
    `  ${kubectlLine} get md -w`,
    'Press Ctrl-C to stop.',
  ].join('\n');
}

async function runOnCurrentCluster(cluster) {
  if (!cluster.crdInstalled) {
    const ok = await confirm(`The ModelDeployment CRD is not installed in ${cluster.source}. Install it?`);
    if (!ok) {
      console.error(
        'airunway: not installing the CRD. Run again with --yes to install it, or with --local for the embedded cluster.',
      );
      process.exit(1);
    }
    const crd = parse(readFileSync(CRD_FILE, 'utf8'));
    await cluster.client.apply(crd, { fieldManager: 'airunway-start', force: true });
    console.log(`airunway: installed ${CRD_NAME}`);
  }
  await cluster.client.close();
  console.log(`airunway: using ${cluster.source}`);
  startOperatorAndApi(undefined);
  console.log(banner('kubectl'));
}

function runEmbedded() {
  const kubeconfig = join(homedir(), '.airunway', 'kubeconfig');
  const cluster = start('control plane', ['packages/testenv/dist/cli.js', '--kubeconfig', kubeconfig]);
  cluster.stderr.pipe(process.stderr);
  let intro = '';
  createInterface({ input: cluster.stdout }).on('line', (line) => {
    if (!line.startsWith('Press Ctrl-C')) {
      intro += `${line}\n`;
      return;
    }
    startOperatorAndApi(kubeconfig);
    process.stdout.write(intro + banner(`kubectl --kubeconfig ${kubeconfig}`) + '\n');
  });
}

const cluster = flags.local ? undefined : await currentCluster();
if (cluster) await runOnCurrentCluster(cluster);
else runEmbedded();
