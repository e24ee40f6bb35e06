// Leader election between electors sharing one Lease on the real apiserver: one leader at
// a time, fast handover on graceful release, takeover after expiry when the leader dies,
// and a demoted leader's writes refused at once.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { uniqueNamespace } from '@airunway/testenv/vitest';
import type { KubeClient } from './client.js';
import { NotLeaderError } from './errors.js';
import { LeaderElector, type LeaderElectionOptions } from './leader-election.js';
import type { Lease } from './objects.js';
import { Resources } from './resources.js';
import { adminClient, cluster, proxiedAdmin } from './test-helpers.js';

const ns = uniqueNamespace('kube-lease');
const cleanups: (() => Promise<void>)[] = [];
let leaseNumber = 0;

beforeAll(async () => {
  await cluster.createNamespace(ns);
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Short timings for the tests that are not about expiry. */
const fast = { leaseDurationMs: 4_000, renewDeadlineMs: 3_000, retryPeriodMs: 250 };

function client(): KubeClient {
  const c = adminClient();
  cleanups.push(() => c.close());
  return c;
}

function elector(
  name: string,
  identity: string,
  options: Partial<LeaderElectionOptions> & { client?: KubeClient } = {},
): LeaderElector & { log: string[] } {
  const log: string[] = [];
  const e = new LeaderElector({
    client: options.client ?? client(),
    namespace: ns,
    name,
    identity,
    onStartedLeading: () => {
      log.push('started');
    },
    onStoppedLeading: () => {
      log.push('stopped');
    },
    ...options,
  });
  void e.run();
  cleanups.push(() => e.stop());
  return Object.assign(e, { log });
}

const lease = (name: string) => client().get<Lease>(Resources.Lease, name, { namespace: ns });
const waitFor = <T>(fn: () => T, timeout = 10_000) => vi.waitFor(fn, { timeout, interval: 50 });

describe('LeaderElector', () => {
  it('elects exactly one leader; the other observes it', async () => {
    const name = `lease-${++leaseNumber}`;
    const a = elector(name, 'replica-a', fast);
    await waitFor(() => {
      expect(a.isLeader()).toBe(true);
    });
    const b = elector(name, 'replica-b', fast);
    await waitFor(() => {
      expect(b.getLeader()).toBe('replica-a');
    });
    expect(b.isLeader()).toBe(false);
    expect(a.isLeader()).toBe(true);
    expect(a.log).toEqual(['started']);
    expect(b.log).toEqual([]);
    const l = await lease(name);
    expect(l.spec).toMatchObject({
      holderIdentity: 'replica-a',
      leaseDurationSeconds: 4,
      leaseTransitions: 0,
    });
    // Renewals keep moving renewTime while b waits.
    const renewed = l.spec?.renewTime;
    await waitFor(async () => {
      expect((await lease(name)).spec?.renewTime).not.toBe(renewed);
    });
    expect(b.isLeader()).toBe(false);
  });

  it('hands over at once when the leader releases the lease on stop', async () => {
    const name = `lease-${++leaseNumber}`;
    // A long lease: without the release, b would wait 60 s.
    const slow = { leaseDurationMs: 60_000, renewDeadlineMs: 10_000, retryPeriodMs: 250 };
    const a = elector(name, 'replica-a', slow);
    await waitFor(() => {
      expect(a.isLeader()).toBe(true);
    });
    const b = elector(name, 'replica-b', slow);
    await waitFor(() => {
      expect(b.getLeader()).toBe('replica-a');
    });
    const signal = a.leaderSignal;
    await a.stop();
    expect(a.isLeader()).toBe(false);
    expect(signal?.aborted).toBe(true);
    expect(a.log).toEqual(['started', 'stopped']);
    await waitFor(() => {
      expect(b.isLeader()).toBe(true);
    });
    expect((await lease(name)).spec).toMatchObject({ holderIdentity: 'replica-b', leaseTransitions: 1 });
  });

  it('a replica takes over after the lease expires when the leader dies; the dead leader stops writing', async () => {
    const name = `lease-${++leaseNumber}`;
    // Replica a reaches the apiserver through a proxy we can cut: it "dies" from the
    // cluster's point of view (no renewals, no release). Default timings: 15 s lease.
    const { proxy, client: viaProxy } = await proxiedAdmin();
    cleanups.push(async () => {
      await proxy.close();
      await viaProxy.close();
    });
    const a = elector(name, 'replica-a', { client: viaProxy });
    await waitFor(() => {
      expect(a.isLeader()).toBe(true);
    });
    const b = elector(name, 'replica-b');
    await waitFor(() => {
      expect(b.getLeader()).toBe('replica-a');
    });
    // The operator's writes go through a client gated on leadership.
    const gated = viaProxy.withWriteGate(a);
    await gated.create(Resources.ConfigMap, { metadata: { name: `${name}-ok`, namespace: ns } });
    const signal = a.leaderSignal;

    // The network drops everything from now on: a write sent now hangs…
    proxy.setMode('blackhole');
    const cutAt = Date.now();
    const inFlight = gated
      .create(Resources.ConfigMap, { metadata: { name: `${name}-hung`, namespace: ns } })
      .catch((err: unknown) => err);
    // …a cannot renew either: after renewDeadline (10 s) it steps down on its own,
    await waitFor(() => {
      expect(a.isLeader()).toBe(false);
    }, 20_000);
    expect(signal?.aborted).toBe(true);
    expect(a.log).toEqual(['started', 'stopped']);
    // the hung write is aborted at that moment (long before its own 30 s timeout),
    expect(await inFlight).toBeInstanceOf(NotLeaderError);
    // and new writes are refused before any request is sent.
    const sent = proxy.requests().length;
    await expect(
      gated.create(Resources.ConfigMap, { metadata: { name: `${name}-late`, namespace: ns } }),
    ).rejects.toBeInstanceOf(NotLeaderError);
    expect(proxy.requests().length).toBe(sent);

    // b takes over once the lease is unrenewed for leaseDuration (15 s) on its own clock.
    await waitFor(() => {
      expect(b.isLeader()).toBe(true);
    }, 25_000);
    const takeoverMs = Date.now() - cutAt;
    expect((await lease(name)).spec).toMatchObject({ holderIdentity: 'replica-b', leaseTransitions: 1 });
    console.info(`takeover ${takeoverMs} ms after the leader was cut off (lease 15 s, renew deadline 10 s)`);
  }, 45_000);

  it('gates writes on leadership, never reads', async () => {
    const name = `lease-${++leaseNumber}`;
    const a = elector(name, 'replica-a', fast);
    await waitFor(() => {
      expect(a.isLeader()).toBe(true);
    });
    const b = elector(name, 'replica-b', fast);
    await waitFor(() => {
      expect(b.getLeader()).toBe('replica-a');
    });
    const leaderWrites = client().withWriteGate(a);
    const followerWrites = client().withWriteGate(b);
    await leaderWrites.create(Resources.ConfigMap, { metadata: { name: `${name}-leader`, namespace: ns } });
    await expect(
      followerWrites.create(Resources.ConfigMap, { metadata: { name: `${name}-follower`, namespace: ns } }),
    ).rejects.toBeInstanceOf(NotLeaderError);
    await expect(
      followerWrites.get(Resources.ConfigMap, `${name}-leader`, { namespace: ns }),
    ).resolves.toBeDefined();
    expect(() => b.assertWritable()).toThrow(NotLeaderError);
    expect(a.assertWritable().aborted).toBe(false);
  });
});
