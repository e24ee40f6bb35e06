// Vitest global setup: one control plane per test run, shared by every test file of
// the package that uses it. Tests isolate themselves by namespace and reach the
// cluster through `testCluster()` (see ./vitest.ts).
import type { TestProject } from 'vitest/node';
import { startControlPlane } from './control-plane.js';
import type { ControlPlaneInfo } from './cluster-client.js';
import { UPSTREAM_CRD_SETS } from './crds.js';
import { killAllProcessGroups } from './processes.js';
import type { NodeSpec } from './nodes.js';

declare module 'vitest' {
  export interface ProvidedContext {
    testenv: ControlPlaneInfo;
  }
}

/** Small but varied: two GPU models, a tainted GPU pool and a CPU node. */
export const TEST_TOPOLOGY: readonly NodeSpec[] = [
  {
    kind: 'gpu',
    name: 'gpu-h100-0',
    gpu: 'H100-80GB',
    gpuCount: 8,
    pool: 'h100',
    instanceType: 'Standard_ND96isr_H100_v5',
  },
  {
    kind: 'gpu',
    name: 'gpu-a100-0',
    gpu: 'A100-80GB',
    gpuCount: 4,
    pool: 'a100',
    instanceType: 'Standard_NC96ads_A100_v4',
  },
  { kind: 'cpu', name: 'cpu-0', pool: 'system', instanceType: 'Standard_D16s_v5' },
];

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // An interrupted run (Ctrl-C, CI timeout) must not leave etcd or an apiserver behind.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAllProcessGroups();
      process.exit(130);
    });
  }
  const verbose = process.env.TESTENV_VERBOSE === '1';
  const controlPlane = await startControlPlane({
    nodes: TEST_TOPOLOGY,
    upstreamCrds: UPSTREAM_CRD_SETS,
    log: (m) => {
      if (verbose) console.error(`testenv: ${m}`);
    },
    keepWorkDir: process.env.TESTENV_KEEP === '1',
  });
  console.error(
    `testenv: control plane at ${controlPlane.server} ready in ${controlPlane.timings.ready} ms ` +
      `(accepting writes after ${controlPlane.timings['accepts writes']} ms)`,
  );
  const { server, caCert, kubeconfigPath, users, editorNamespace, binDir, workDir, podLogFile } =
    controlPlane;
  project.provide('testenv', {
    server,
    caCert,
    kubeconfigPath,
    users,
    editorNamespace,
    binDir,
    workDir,
    podLogFile,
  });
  return () => controlPlane.stop();
}
