// Loading a connection the three ways the operator and the API will run: a kubeconfig file,
// KUBECONFIG / default locations, and the in-cluster service account (here: a mount
// prepared in a temp directory with a real bound service-account token).
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { uniqueNamespace } from '@airunway/testenv/vitest';
import { KubeClient } from './client.js';
import { KubeConfigError, loadClusterConnection } from './kubeconfig.js';
import type { KubeObject } from './objects.js';
import { cluster } from './test-helpers.js';

const ns = uniqueNamespace('kube-config');
const savedEnv = { ...process.env };

beforeAll(async () => {
  await cluster.createNamespace(ns);
});

afterEach(() => {
  process.env = { ...savedEnv };
});

interface SelfSubjectReview extends KubeObject {
  status?: { userInfo?: { username?: string } };
}

/** Who the apiserver thinks we are. */
async function whoami(client: KubeClient): Promise<string | undefined> {
  const review = await client.request<SelfSubjectReview>({
    method: 'POST',
    path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  await client.close();
  return review.status?.userInfo?.username;
}

describe('loadClusterConnection', () => {
  it('reads a kubeconfig file, its context namespace and credentials', async () => {
    const path = await cluster.kubeconfigFor(cluster.users.editor, cluster.editorNamespace);
    const connection = loadClusterConnection({ kubeconfigPath: path });
    expect(connection.server).toBe(cluster.server);
    expect(connection.namespace).toBe(cluster.editorNamespace);
    expect(connection.tls.rejectUnauthorized).toBe(true);
    expect(await whoami(new KubeClient({ connection }))).toBe(cluster.users.editor.name);
  });

  it('follows KUBECONFIG when no path is given', async () => {
    process.env.KUBECONFIG = cluster.kubeconfigPath;
    const connection = loadClusterConnection();
    expect(connection.source).toContain(cluster.kubeconfigPath);
    expect(await whoami(new KubeClient({ connection }))).toBe(cluster.users.admin.name);
  });

  it('uses the in-cluster service account (token file, CA, namespace)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kube-sa-'));
    const mount = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    await mkdir(mount, { recursive: true });
    const token = (
      await cluster.kubectlOk(['create', 'token', 'default', '-n', ns, '--duration=10m'])
    ).trim();
    await writeFile(join(mount, 'token'), `${token}\n`);
    await writeFile(join(mount, 'ca.crt'), cluster.caCert);
    await writeFile(join(mount, 'namespace'), ns);
    const url = new URL(cluster.server);
    process.env.KUBERNETES_SERVICE_HOST = url.hostname;
    process.env.KUBERNETES_SERVICE_PORT = url.port;
    const connection = loadClusterConnection({ inCluster: true, inClusterPathPrefix: root });
    expect(connection.namespace).toBe(ns);
    expect(connection.source).toContain('in-cluster');
    // The file ends with a newline, as mounted tokens may; it must not reach the header.
    expect(await whoami(new KubeClient({ connection }))).toBe(`system:serviceaccount:${ns}:default`);
  });

  it('says so when there is no kubeconfig and no service account', () => {
    process.env.KUBECONFIG = '';
    process.env.HOME = join(tmpdir(), 'no-such-home');
    delete process.env.KUBERNETES_SERVICE_HOST;
    expect(() => loadClusterConnection()).toThrow(KubeConfigError);
  });
});
