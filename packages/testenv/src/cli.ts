// `npm run cluster`: a local Kubernetes control plane with simulated GPU nodes, for
// people. Runs until Ctrl-C, then stops every process and removes its files.
import { rmSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startControlPlane } from './control-plane.js';
import { UPSTREAM_CRD_SETS } from './crds.js';
import { DEFAULT_TOPOLOGY, GPU_MODELS } from './nodes.js';
import { killAllProcessGroups } from './processes.js';

const { values } = parseArgs({
  options: {
    'upstream-crds': { type: 'boolean', default: false },
    kubeconfig: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`Usage: npm run cluster -- [--upstream-crds] [--kubeconfig PATH]

Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on
127.0.0.1 with simulated nodes, installs the ModelDeployment CRD, and waits for Ctrl-C.

  --upstream-crds     also install the provider CRDs (${UPSTREAM_CRD_SETS.join(', ')})
  --kubeconfig PATH   where to write the admin kubeconfig (default ~/.airunway/kubeconfig)`);
  process.exit(0);
}

const kubeconfigOut = values.kubeconfig ?? join(homedir(), '.airunway', 'kubeconfig');
const log = (m: string) => {
  console.error(`cluster: ${m}`);
};

const controlPlane = await startControlPlane({
  nodes: DEFAULT_TOPOLOGY,
  upstreamCrds: values['upstream-crds'] ? UPSTREAM_CRD_SETS : [],
  log,
});
const kubeconfigDir = dirname(kubeconfigOut);
await mkdir(kubeconfigDir, { recursive: true });
await copyFile(controlPlane.kubeconfigPath, kubeconfigOut);
// Credentials go to files (mode 0600), never to the terminal.
const { editor, viewer } = controlPlane.users;
const editorKubeconfig = join(kubeconfigDir, 'editor.kubeconfig');
const viewerKubeconfig = join(kubeconfigDir, 'viewer.kubeconfig');
await copyFile(await controlPlane.kubeconfigFor(editor, controlPlane.editorNamespace), editorKubeconfig);
await copyFile(await controlPlane.kubeconfigFor(viewer), viewerKubeconfig);

const nodes = DEFAULT_TOPOLOGY.map((n) =>
  n.kind === 'gpu'
    ? `  ${n.name}: ${n.gpuCount}× ${GPU_MODELS[n.gpu].product} (pool ${n.pool})`
    : `  ${n.name}: CPU only (pool ${n.pool})`,
).join('\n');
console.log(`
Kubernetes control plane ready at ${controlPlane.server} (${controlPlane.timings.ready} ms)
Nodes (simulated by kwok; pods that fit are scheduled and reported Running):
${nodes}

Use it:
  export KUBECONFIG=${kubeconfigOut}
  export PATH=${controlPlane.binDir}:$PATH   # kubectl and helm, built with the cluster
  kubectl get nodes
  kubectl apply -f packages/schema/src/examples/qwen-demo.yaml
  kubectl get modeldeployments

Limited users for RBAC experiments:
  ${editor.name}, may edit namespace ${controlPlane.editorNamespace}: kubectl --kubeconfig ${editorKubeconfig} …
  ${viewer.name}, read-only:                 kubectl --kubeconfig ${viewerKubeconfig} …

Logs: ${controlPlane.workDir}/*.log
Press Ctrl-C to stop.`);

// A closed terminal or pipe (e.g. `npm start | tee log` after Ctrl-C) must not abort the
// shutdown below and leave etcd and the apiserver running: writes that fail are dropped.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

let stoppingSince = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stoppingSince > 0) {
      // Ctrl-C reaches this process twice (from the terminal and relayed by npm/tsx);
      // only a later, deliberate second Ctrl-C means "stop now".
      if (Date.now() - stoppingSince < 1_000) return;
      killAllProcessGroups();
      rmSync(controlPlane.workDir, { recursive: true, force: true });
      process.exit(130);
    }
    stoppingSince = Date.now();
    log('stopping …');
    void controlPlane.stop().then(
      () => {
        log('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        console.error(err);
        killAllProcessGroups();
        process.exit(1);
      },
    );
  });
}
