import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { clusterClient, type ClusterClient } from './cluster-client.js';

/** The shared control plane of this test run (requires the testenv global setup). */
export function testCluster(): ClusterClient {
  return clusterClient(inject('testenv'));
}

/** A namespace name unique to this test file, so tests never see each other's objects. */
export function uniqueNamespace(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}
