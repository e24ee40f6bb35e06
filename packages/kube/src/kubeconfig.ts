// Where the cluster is and who we are. @kubernetes/client-node parses kubeconfig files,
// KUBECONFIG merging and the in-cluster service account; we take the result apart into a
// ClusterConnection (server URL, TLS material, a function producing auth headers) and do
// HTTP ourselves. Auth headers are produced per request because in-cluster tokens rotate
// (bound service-account tokens expire) and exec plugins refresh their credentials.
import { KubeConfig } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';

export interface TlsMaterial {
  /** PEM CA bundle to verify the apiserver; absent = the system roots. */
  readonly ca?: string | Buffer;
  /** Client certificate and key (PEM) for x509 authentication. */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  /** False only with insecure-skip-tls-verify. */
  readonly rejectUnauthorized: boolean;
  readonly servername?: string;
}

export interface ClusterConnection {
  /** https://host:port, without a trailing slash (a path prefix is kept). */
  readonly server: string;
  readonly tls: TlsMaterial;
  /** Namespace of the kubeconfig context (or of the service account); "default" otherwise. */
  readonly namespace: string;
  /** Headers that authenticate one request (Authorization, Impersonate-User). */
  authHeaders(): Promise<Record<string, string>>;
  /** Where this came from, for log lines ("kubeconfig /path context x", "in-cluster"). */
  readonly source: string;
}

export interface LoadConnectionOptions {
  /** A kubeconfig file; default: KUBECONFIG, ~/.kube/config, then the in-cluster service account. */
  readonly kubeconfigPath?: string;
  /** Use this context instead of current-context. */
  readonly context?: string;
  /** Force the in-cluster service account. */
  readonly inCluster?: boolean;
  /**
   * Prefix of the service-account mount (/var/run/secrets/kubernetes.io/serviceaccount) for
   * inCluster, e.g. for tests or unusual mounts. Default "".
   */
  readonly inClusterPathPrefix?: string;
}

export class KubeConfigError extends Error {
  override readonly name = 'KubeConfigError';
}

/** Loads a kubeconfig (file, default locations or in-cluster) into a ClusterConnection. */
export function loadClusterConnection(options: LoadConnectionOptions = {}): ClusterConnection {
  const kc = new KubeConfig();
  let source: string;
  if (options.inCluster) {
    kc.loadFromCluster(options.inClusterPathPrefix);
    source = 'in-cluster service account';
  } else if (options.kubeconfigPath) {
    kc.loadFromFile(options.kubeconfigPath);
    source = `kubeconfig ${options.kubeconfigPath}`;
  } else {
    kc.loadFromDefault();
    source = process.env.KUBECONFIG ? `kubeconfig ${process.env.KUBECONFIG}` : 'default kubeconfig';
    // loadFromDefault falls back to an unauthenticated http://localhost:8080 when it finds
    // nothing; a clear error is better than a connection refused much later.
    const cluster = kc.getCurrentCluster();
    if (kc.getCurrentContext() === 'loaded-context' && cluster?.server === 'http://localhost:8080') {
      throw new KubeConfigError(
        'no kubeconfig found (KUBECONFIG, ~/.kube/config) and not running in a cluster',
      );
    }
    if (kc.getCurrentContext() === 'inClusterContext') source = 'in-cluster service account';
  }
  if (options.context) kc.setCurrentContext(options.context);
  return connectionFromKubeConfig(kc, `${source} context ${kc.getCurrentContext()}`);
}

/** How long headers from exec plugins / auth providers are reused before asking again. */
const DELEGATED_AUTH_TTL_MS = 10_000;

export function connectionFromKubeConfig(kc: KubeConfig, source = 'kubeconfig'): ClusterConnection {
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  if (!cluster)
    throw new KubeConfigError(`the kubeconfig context "${kc.getCurrentContext()}" has no cluster`);
  const context = kc.getContextObject(kc.getCurrentContext());

  const fromFileOrData = (file?: string, data?: string): Buffer | undefined => {
    if (file) return readFileSync(file);
    if (data) return Buffer.from(data, 'base64');
    return undefined;
  };
  const ca = fromFileOrData(cluster.caFile, cluster.caData);
  const cert = fromFileOrData(user?.certFile, user?.certData);
  const key = fromFileOrData(user?.keyFile, user?.keyData);
  const tls: TlsMaterial = {
    rejectUnauthorized: !cluster.skipTLSVerify,
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
  };

  const extra: Record<string, string> = {};
  if (user?.impersonateUser) extra['Impersonate-User'] = user.impersonateUser;

  let authHeaders: () => Promise<Record<string, string>>;
  const delegated = user?.exec !== undefined || user?.authProvider !== undefined;
  if (!delegated && user?.token) {
    const headers = { ...extra, Authorization: `Bearer ${user.token}` };
    authHeaders = () => Promise.resolve(headers);
  } else if (!delegated && user?.username) {
    const basic = Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64');
    const headers = { ...extra, Authorization: `Basic ${basic}` };
    authHeaders = () => Promise.resolve(headers);
  } else if (delegated) {
    // Exec plugins, OIDC, the in-cluster token file: client-node knows them all and caches
    // their credentials; we ask it again every few seconds so rotation is picked up.
    let cached: { headers: Record<string, string>; at: number } | undefined;
    authHeaders = async () => {
      if (cached && performance.now() - cached.at < DELEGATED_AUTH_TTL_MS) return cached.headers;
      const opts: { headers: Record<string, string> } = { headers: {} };
      await kc.applyToHTTPSOptions(opts);
      const headers: Record<string, string> = { ...extra };
      // A token file may end with a newline, which is not allowed in a header value.
      const authorization = (opts.headers.Authorization ?? opts.headers.authorization)?.trim();
      if (authorization) headers.Authorization = authorization;
      cached = { headers, at: performance.now() };
      return headers;
    };
  } else {
    authHeaders = () => Promise.resolve({ ...extra });
  }

  return {
    server: cluster.server.replace(/\/+$/, ''),
    tls,
    namespace: context?.namespace ?? 'default',
    authHeaders,
    source,
  };
}

export interface StaticConnectionOptions {
  readonly server: string;
  readonly ca?: string | Buffer;
  readonly token?: string;
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  readonly insecureSkipTlsVerify?: boolean;
  readonly namespace?: string;
}

/** A connection from plain values (tests, or a server URL and token from elsewhere). */
export function staticConnection(options: StaticConnectionOptions): ClusterConnection {
  const headers: Record<string, string> = options.token ? { Authorization: `Bearer ${options.token}` } : {};
  return {
    server: options.server.replace(/\/+$/, ''),
    tls: {
      rejectUnauthorized: !options.insecureSkipTlsVerify,
      ...(options.ca ? { ca: options.ca } : {}),
      ...(options.cert ? { cert: options.cert } : {}),
      ...(options.key ? { key: options.key } : {}),
    },
    namespace: options.namespace ?? 'default',
    authHeaders: () => Promise.resolve(headers),
    source: `static ${options.server}`,
  };
}
