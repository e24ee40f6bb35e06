// Events on the real apiserver: a hot loop of the same event becomes one Event with a
// series count, distinct events per object are rate-limited, and the Event refers to the
// object precisely.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueNamespace } from '@airunway/testenv/vitest';
import type { KubeClient, RequestInfo } from './client.js';
import { EventRecorder } from './events.js';
import type { EventsV1Event, KubeObject } from './objects.js';
import { Resources } from './resources.js';
import { adminClient, cluster } from './test-helpers.js';

const ns = uniqueNamespace('kube-events');
const writes: RequestInfo[] = [];
let client: KubeClient;
let regarding: KubeObject;

beforeAll(async () => {
  client = adminClient({ observer: (i) => i.method !== 'GET' && writes.push(i) });
  await cluster.createNamespace(ns);
  regarding = await client.create(Resources.ConfigMap, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'subject', namespace: ns },
  });
});

afterAll(async () => {
  await client.close();
});

async function eventsAbout(name: string): Promise<EventsV1Event[]> {
  const list = await client.list<EventsV1Event>(Resources.EventV1, {
    namespace: ns,
    fieldSelector: `regarding.name=${name}`,
  });
  return list.items;
}

describe('EventRecorder', () => {
  it('aggregates a hot loop of one event into a single Event with a series', async () => {
    const outcomes: string[] = [];
    const recorder = new EventRecorder({
      client,
      reportingController: 'airunway.ai/operator',
      reportingInstance: 'operator-0',
      flushIntervalMs: 60_000, // only flush() writes the series in this test
      observer: (o) => outcomes.push(o),
    });
    const before = writes.length;
    for (let i = 0; i < 500; i++) {
      recorder.record(regarding, {
        type: 'Warning',
        reason: 'ProviderNotInstalled',
        action: 'SelectProvider',
        note: 'KAITO is not installed',
      });
    }
    await recorder.flush();
    expect(writes.length - before).toBe(2); // one create, one series update
    const events = await eventsAbout('subject');
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      type: 'Warning',
      reason: 'ProviderNotInstalled',
      action: 'SelectProvider',
      note: 'KAITO is not installed',
      reportingController: 'airunway.ai/operator',
      reportingInstance: 'operator-0',
      regarding: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'subject',
        namespace: ns,
        uid: regarding.metadata.uid,
      },
      series: { count: 500 },
    });
    expect(outcomes.filter((o) => o === 'aggregated')).toHaveLength(499);
    await recorder.stop();
  });

  it('limits distinct events per object (burst), dropping the excess', async () => {
    const target = await client.create(Resources.ConfigMap, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'spammed', namespace: ns },
    });
    const outcomes: string[] = [];
    const recorder = new EventRecorder({
      client,
      reportingController: 'airunway.ai/operator',
      reportingInstance: 'operator-0',
      burstPerObject: 5,
      observer: (o) => outcomes.push(o),
    });
    for (let i = 0; i < 50; i++) {
      recorder.record(target, { type: 'Normal', reason: 'Progress', action: 'Reconcile', note: `step ${i}` });
    }
    await recorder.stop();
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'dropped')).toHaveLength(45);
    expect((await eventsAbout('spammed')).map((e) => e.note).sort()).toEqual([
      'step 0',
      'step 1',
      'step 2',
      'step 3',
      'step 4',
    ]);
  });

  it('never throws into the caller when the write fails', async () => {
    const viewer = client.withToken(cluster.users.viewer.token);
    const outcomes: string[] = [];
    const recorder = new EventRecorder({
      client: viewer,
      reportingController: 'airunway.ai/operator',
      reportingInstance: 'operator-0',
      observer: (o) => outcomes.push(o),
    });
    expect(() => {
      recorder.record(regarding, { type: 'Normal', reason: 'Forbidden', action: 'Test' });
    }).not.toThrow();
    await recorder.stop();
    expect(outcomes).toEqual(['failed']);
  });
});
