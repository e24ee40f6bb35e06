// `npm start`: AI Runway on the embedded local control plane. Starts the control plane with
// simulated GPU nodes (packages/testenv) and the operator against it, each as its own process,
// and stops both on Ctrl-C. The REST API and the dashboard join here as they are built.
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';

const root = join(import.meta.dirname, '..');
const kubeconfig = join(homedir(), '.airunway', 'kubeconfig');
const children = [];
// The operator's Node.js flags and environment, the same everywhere it runs.
const operatorRuntime = JSON.parse(readFileSync(join(root, 'apps/operator/runtime.json'), 'utf8'));

function start(name, args, env = {}) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`airunway: ${name} exited (${signal ?? code}); stopping`);
      stop(1);
    }
  });
  return child;
}

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  console.error('airunway: stopping …');
  // The operator first (it would only log errors once the cluster is gone), then the cluster.
  const [cluster, operator] = children;
  const exited = (c) =>
    c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r));
  operator?.kill('SIGTERM');
  void exited(operator ?? cluster)
    .then(() => {
      cluster.kill('SIGTERM');
      return exited(cluster);
    })
    .then(() => {
      console.error('airunway: stopped');
      process.exit(code);
    });
}

// Ctrl-C reaches this process and, through the terminal, its children too; both handle it.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));

const cluster = start('control plane', ['packages/testenv/dist/cli.js', '--kubeconfig', kubeconfig]);
cluster.stderr.pipe(process.stderr);
const lines = createInterface({ input: cluster.stdout });
let banner = '';
lines.on('line', (line) => {
  banner += `${line}\n`;
  if (!line.startsWith('Press Ctrl-C')) return;
  const operator = start(
    'operator',
    [...operatorRuntime.nodeArgs, 'apps/operator/dist/main.js', '--leader-elect=false', '--health-port=8081'],
    {
      ...operatorRuntime.env,
      KUBECONFIG: kubeconfig,
      POD_NAME: 'local',
    },
  );
  // The operator logs JSON lines; show warnings and errors only, in a readable form.
  createInterface({ input: operator.stdout }).on('line', (l) => {
    try {
      const entry = JSON.parse(l);
      if (entry.level === 'warn' || entry.level === 'error')
        console.error(`operator: ${entry.level}: ${entry.msg}`);
    } catch {
      console.error(`operator: ${l}`);
    }
  });
  operator.stderr.pipe(process.stderr);
  process.stdout.write(
    banner.replace(
      'Press Ctrl-C to stop.',
      'Operator running (metrics and health on http://127.0.0.1:8081/metrics).\n' +
        'Apply a ModelDeployment and watch it reach Running:\n' +
        `  kubectl --kubeconfig ${kubeconfig} get md -w\n` +
        'Press Ctrl-C to stop.',
    ),
  );
});
