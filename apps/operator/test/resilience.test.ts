// The operator survives what clusters do to it: being killed mid-way, running as two
// replicas, and the apiserver going away. Each test runs real operator processes against a
// control plane of its own (restarting the shared one would disturb other test files).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startControlPlane, type ControlPlane } from '@airunway/testenv';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually, getJson, modelDeployment } from './helpers.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const operatorDir = join(import.meta.dirname, '..');
let cluster: ControlPlane;
const children: ChildProcess[] = [];

/** Starts `src/main.ts` as its own process, as it runs in a pod. */
function startOperatorProcess(identity: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/main.ts',
      '--health-port=0',
      '--leader-election-namespace=kube-system',
      '--log-level=warn',
    ],
    {
      cwd: operatorDir,
      env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath, POD_NAME: identity },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  children.push(child);
  return child;
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGKILL');
  });
}

async function leaseHolder(): Promise<string> {
  const lease = await getJson(cluster, ['get', 'lease', 'airunway-operator', '-n', 'kube-system']);
  return lease.spec.holderIdentity as string;
}

async function allRunning(ns: string, count: number) {
  await eventually(async () => {
    const list = await getJson(cluster, ['get', 'md', '-n', ns]);
    const phases = list.items.map((i: any) => i.status?.phase);
    expect(phases.filter((p: string) => p === 'Running')).toHaveLength(count);
  }, 120_000);
}

const gpuModel = (name: string, ns: string) =>
  modelDeployment(name, ns, {
    model: { id: 'Qwen/Qwen3-0.6B' },
    engine: { type: 'vllm' },
    resources: { gpu: { count: 1 } },
  });

beforeAll(async () => {
  cluster = await startControlPlane({
    // 8 GPUs per test: each leaves its deployments running.
    nodes: [0, 1, 2].map(
      (i) => ({ kind: 'gpu', name: `gpu-${i}`, gpu: 'H100-80GB', gpuCount: 8, pool: 'h100' }) as const,
    ),
    auditLog: true,
  });
});

afterEach(async () => {
  await Promise.all(children.splice(0).map(kill));
});

afterAll(async () => {
  await cluster.stop();
});

describe('operator restarts', () => {
  it('converges after being killed mid-way, with no duplicate or orphaned objects', async () => {
    const ns = 'killed';
    await cluster.createNamespace(ns);
    await cluster.apply(Array.from({ length: 8 }, (_, i) => gpuModel(`m${i}`, ns)));
    const first = startOperatorProcess('first');
    // Kill it as soon as it has created some, but not necessarily all, of the objects.
    await eventually(async () => {
      const deployments = await getJson(cluster, ['get', 'deployments', '-n', ns]);
      expect(deployments.items.length).toBeGreaterThan(0);
    });
    await kill(first);
    startOperatorProcess('second');
    await allRunning(ns, 8);

    const deployments = (await getJson(cluster, ['get', 'deployments', '-n', ns])).items;
    const services = (await getJson(cluster, ['get', 'services', '-n', ns])).items;
    const mds = (await getJson(cluster, ['get', 'md', '-n', ns])).items;
    const uids = new Set(mds.map((m: any) => m.metadata.uid));
    for (const objects of [deployments, services]) {
      expect(objects.map((o: any) => o.metadata.name).sort()).toEqual(
        mds.map((m: any) => m.metadata.name).sort(),
      );
      for (const o of objects) expect(uids.has(o.metadata.ownerReferences?.[0]?.uid)).toBe(true);
    }
  });
});

describe('two replicas', () => {
  it('only the leader writes, and the other takes over when the leader dies', async () => {
    const ns = 'replicas';
    await cluster.createNamespace(ns);
    startOperatorProcess('replica-a');
    startOperatorProcess('replica-b');
    const leader = await eventually(async () => {
      const holder = await leaseHolder();
      expect(['replica-a', 'replica-b']).toContain(holder);
      return holder;
    });
    await cluster.apply([gpuModel('led', ns)]);
    await allRunning(ns, 1);

    // Every write of an operator replica in the audit log comes from the leader.
    const writers = await operatorWriters(ns);
    expect(writers).toEqual([leader]);

    const [leaderProcess] = children.filter((_, i) => (i === 0 ? 'replica-a' : 'replica-b') === leader);
    await kill(leaderProcess!);
    const follower = leader === 'replica-a' ? 'replica-b' : 'replica-a';
    await eventually(async () => {
      expect(await leaseHolder()).toBe(follower);
    }, 60_000);
    await cluster.apply([gpuModel('after-failover', ns)]);
    await allRunning(ns, 2);
    expect(await operatorWriters(ns)).toEqual([leader, follower].sort());
  });
});

describe('apiserver restart', () => {
  it('keeps reconciling after kube-apiserver comes back', async () => {
    const ns = 'restart';
    await cluster.createNamespace(ns);
    startOperatorProcess('survivor');
    await cluster.apply([gpuModel('before', ns)]);
    await allRunning(ns, 1);
    await cluster.restartApiServer();
    await cluster.apply([gpuModel('after', ns)]);
    await allRunning(ns, 2);
  });
});

/** Replica identities (from the user agent) that wrote objects in `ns`, per the audit log. */
async function operatorWriters(ns: string): Promise<string[]> {
  // The audit log is written in batches; wait for the entries to land.
  await new Promise((r) => setTimeout(r, 1_500));
  const lines = (await readFile(cluster.auditLogPath ?? '', 'utf8')).split('\n').filter(Boolean);
  const writers = new Set<string>();
  for (const line of lines) {
    const entry = JSON.parse(line) as {
      verb: string;
      userAgent?: string;
      objectRef?: { namespace?: string };
    };
    if (!['create', 'update', 'patch', 'delete'].includes(entry.verb)) continue;
    if (entry.objectRef?.namespace !== ns) continue;
    const match = /^airunway-operator\/\S+ \(([^)]+)\)/.exec(entry.userAgent ?? '');
    if (match?.[1]) writers.add(match[1]);
  }
  return [...writers].sort();
}
