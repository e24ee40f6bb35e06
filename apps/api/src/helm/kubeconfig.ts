// A kubeconfig for one Helm run, so Helm acts as whoever the request acts as: the user's bearer
// token when authentication is on (RBAC applies to the user, not to the API), else the API's
// own credentials. Written to a private directory (0700, file 0600) and removed afterwards;
// the credential never appears on a command line, where `ps` would show it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterConnection } from '@airunway/kube';

export interface TempKubeconfig {
  readonly path: string;
  /** Values that must not leave the process (tokens): outputs are scrubbed of them. */
  readonly secrets: readonly string[];
  dispose(): Promise<void>;
}

const BEARER = /^Bearer\s+(\S+)$/i;

function base64(data: string | Buffer): string {
  return Buffer.from(data).toString('base64');
}

/** The `user` entry: a token, a client certificate, and impersonation, as the connection has them. */
async function userEntry(
  connection: ClusterConnection,
  token: string | undefined,
): Promise<{ user: Record<string, unknown>; secrets: string[] }> {
  if (token !== undefined) return { user: { token }, secrets: [token] };
  const user: Record<string, unknown> = {};
  const secrets: string[] = [];
  const headers = await connection.authHeaders();
  const bearer = headers.Authorization ? BEARER.exec(headers.Authorization)?.[1] : undefined;
  if (bearer) {
    user.token = bearer;
    secrets.push(bearer);
  }
  if (headers['Impersonate-User']) user.as = headers['Impersonate-User'];
  const groups = connection.repeatedHeaders?.['Impersonate-Group'];
  if (groups && groups.length > 0) user['as-groups'] = [...groups];
  const issued = connection.clientCertificate ? await connection.clientCertificate() : undefined;
  const cert = issued?.cert ?? connection.tls.cert;
  const key = issued?.key ?? connection.tls.key;
  if (cert && key) {
    user['client-certificate-data'] = base64(cert);
    user['client-key-data'] = base64(key);
  }
  return { user, secrets };
}

/**
 * Writes a kubeconfig for `connection` under `parentDir`. With `token`, the user is that
 * bearer token alone (never the API's client certificate, or the apiserver would authenticate
 * the certificate instead).
 */
export async function writeTempKubeconfig(
  parentDir: string,
  connection: ClusterConnection,
  token?: string,
): Promise<TempKubeconfig> {
  const dir = await mkdtemp(join(parentDir, 'kube-'));
  const { user, secrets } = await userEntry(connection, token);
  const { tls } = connection;
  const cluster: Record<string, unknown> = { server: connection.server };
  if (tls.ca) cluster['certificate-authority-data'] = base64(tls.ca);
  if (!tls.rejectUnauthorized) cluster['insecure-skip-tls-verify'] = true;
  if (tls.servername) cluster['tls-server-name'] = tls.servername;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'cluster', cluster }],
    users: [{ name: 'caller', user }],
    contexts: [{ name: 'caller', context: { cluster: 'cluster', user: 'caller' } }],
    'current-context': 'caller',
  };
  const path = join(dir, 'kubeconfig');
  try {
    await writeFile(path, JSON.stringify(config), { mode: 0o600 });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { path, secrets, dispose: () => rm(dir, { recursive: true, force: true }) };
}
