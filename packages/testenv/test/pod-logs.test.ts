// Pods on simulated nodes have logs: the apiserver proxies `pods/log` to kwok at the node's
// advertised kubelet port, and kwok serves the control plane's CRI log file, followed as it grows.
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { binaryPath } from '../src/binaries.js';
import { criLogLines, SIMULATED_POD_LOG_LINES } from '../src/pod-logs.js';
import { testCluster, uniqueNamespace } from '../src/vitest.js';

const cluster = testCluster();
const ns = uniqueNamespace('pod-logs');

beforeAll(async () => {
  await cluster.createNamespace(ns);
  await cluster.apply([
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'talker', namespace: ns },
      spec: {
        containers: [
          { name: 'server', image: 'vllm/vllm-openai:latest' },
          { name: 'sidecar', image: 'busybox' },
        ],
      },
    },
  ]);
  await cluster.kubectlOk(['wait', '-n', ns, '--for=condition=Ready', '--timeout=60s', 'pod/talker']);
});

describe('criLogLines', () => {
  it('writes one full-line CRI record per line of text', () => {
    const time = new Date('2026-01-15T10:30:00.123Z');
    expect(criLogLines('one\ntwo', time)).toBe(
      '2026-01-15T10:30:00.123Z stdout F one\n2026-01-15T10:30:00.123Z stdout F two\n',
    );
  });
});

describe('logs of a pod on a simulated node', () => {
  it('advertises the port kwok serves the kubelet API on', async () => {
    const node = await cluster.kubectlOk([
      'get',
      'pod',
      'talker',
      '-n',
      ns,
      '-o',
      'jsonpath={.spec.nodeName}',
    ]);
    const port = await cluster.kubectlOk([
      'get',
      'node',
      node,
      '-o',
      'jsonpath={.status.daemonEndpoints.kubeletEndpoint.Port}',
    ]);
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
  });

  it('returns the simulated lines for every container through kubectl logs', async () => {
    for (const container of ['server', 'sidecar']) {
      const out = await cluster.kubectlOk(['logs', '-n', ns, 'talker', '-c', container]);
      expect(out.split('\n').slice(0, SIMULATED_POD_LOG_LINES.length)).toEqual(SIMULATED_POD_LOG_LINES);
    }
  });

  it('honours tailLines and timestamps as a kubelet does', async () => {
    const out = await cluster.kubectlOk([
      'logs',
      '-n',
      ns,
      'talker',
      '-c',
      'server',
      '--tail=1',
      '--timestamps',
    ]);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z \S/);
  });

  it('streams a line appended to the log file to kubectl logs -f', async () => {
    const kubectl = spawn(
      binaryPath(cluster.binDir, 'kubectl'),
      [`--kubeconfig=${cluster.kubeconfigPath}`, 'logs', '-f', '-n', ns, 'talker', '-c', 'server'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    kubectl.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    kubectl.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      // Append only once the stream is open (the existing lines have arrived), so the new
      // line can only come through following.
      await expect.poll(() => stdout, { timeout: 15_000 }).toContain(SIMULATED_POD_LOG_LINES[0]);
      const line = `appended at ${new Date().toISOString()}`;
      await cluster.appendPodLog(line);
      await expect.poll(() => stdout, { timeout: 15_000 }).toContain(line);
      expect(kubectl.exitCode, stderr).toBeNull();
    } finally {
      kubectl.kill();
    }
  });
});
