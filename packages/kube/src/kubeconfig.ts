// Where the cluster is and who we are: a kubeconfig (a file, KUBECONFIG, ~/.kube/config) or
// the in-cluster service account, turned into a ClusterConnection (server URL, TLS material,
// a function producing auth headers). HTTP is KubeClient's. Auth headers are produced per
// request because credentials change under a running process: bound service-account tokens
// rotate, token files are rewritten, exec plugins issue expiring credentials.
//
// Our own loader rather than @kubernetes/client-node's: importing client-node costs ~90 MB of
// RSS, which the operator's memory budget cannot pay for a YAML file and a few headers.
//
// Not supported: `proxy-url` (parsed, ignored: KubeClient connects directly), the legacy
// gcp/azure auth providers and OIDC refresh (an exec plugin does this today), and
// re-running an exec plugin early when the apiserver rejects its credential with 401.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from './clock.js';
import { ExecPlugin, TokenFile, type ClientCertificate, type ExecClusterInfo } from './credentials.js';
import { KubeConfigError } from './errors.js';
import {
  errorCode,
  kubeconfigPathsFromEnv,
  readKubeConfigFile,
  readKubeConfigFiles,
  type KubeConfigCluster,
  type KubeConfigUser,
  type ParsedKubeConfig,
} from './kubeconfig-file.js';

export { KubeConfigError } from './errors.js';
export type { ClientCertificate } from './credentials.js';

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
  /**
   * Headers that authenticate one request (Authorization, Impersonate-*). A header with
   * several values (Impersonate-Group, Impersonate-Extra-*) is joined with ", " here, which
   * the apiserver would read as one value: clients that can send repeated header lines use
   * {@link repeatedHeaders} for those names (KubeClient does).
   */
  authHeaders(): Promise<Record<string, string>>;
  /** Header names of authHeaders() whose values must go out as one header line each. */
  readonly repeatedHeaders?: Readonly<Record<string, readonly string[]>>;
  /**
   * The client certificate to present now, when an exec plugin issues it (and may replace it
   * when it expires); undefined = tls.cert/key. The same object comes back until it changes,
   * so callers can compare by identity and rebuild their connection pool when it does.
   */
  clientCertificate?(): Promise<ClientCertificate | undefined>;
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
  /** Times token-file re-reads (tests drive a ManualClock). */
  readonly clock?: Clock;
}

export interface KubeConfigConnectionOptions {
  /** Use this context instead of current-context. */
  readonly context?: string;
  /** Prefix of ClusterConnection.source (default "kubeconfig <files>"). */
  readonly source?: string;
  readonly clock?: Clock;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const NOT_FOUND = 'no kubeconfig found (KUBECONFIG, ~/.kube/config) and not running in a cluster';

/**
 * Loads a connection: `kubeconfigPath` if given; else the files in KUBECONFIG (merged,
 * missing ones skipped); else ~/.kube/config; else the in-cluster service account.
 */
export function loadClusterConnection(options: LoadConnectionOptions = {}): ClusterConnection {
  const clock = options.clock ?? systemClock;
  const prefix = options.inClusterPathPrefix ?? '';
  if (options.inCluster) return inClusterConnection(prefix, clock);

  let config: ParsedKubeConfig | undefined;
  let source: string;
  const envPaths = kubeconfigPathsFromEnv();
  // $HOME first, as client-go (and so that a process can point it elsewhere).
  const defaultPath = join(process.env.HOME || homedir(), '.kube', 'config');
  if (options.kubeconfigPath) {
    config = readKubeConfigFile(options.kubeconfigPath);
    source = `kubeconfig ${options.kubeconfigPath}`;
  } else if (envPaths) {
    config = readKubeConfigFiles(envPaths);
    source = `kubeconfig ${envPaths.join(':')}`;
  } else {
    config = readKubeConfigFiles([defaultPath]);
    source = `kubeconfig ${defaultPath}`;
  }
  if (config) return connectionFromKubeConfig(config, { context: options.context, source, clock });

  if (inClusterPossible(prefix)) {
    if (options.context)
      throw new KubeConfigError(`context "${options.context}" requested, but no kubeconfig was found`);
    return inClusterConnection(prefix, clock);
  }
  throw new KubeConfigError(
    envPaths ? `${NOT_FOUND} (none of the KUBECONFIG files exists: ${envPaths.join(', ')})` : NOT_FOUND,
  );
}

function inClusterPossible(prefix: string): boolean {
  return (
    !!process.env.KUBERNETES_SERVICE_HOST &&
    !!process.env.KUBERNETES_SERVICE_PORT &&
    existsSync(join(prefix, SERVICE_ACCOUNT_DIR, 'token'))
  );
}

/** The pod's service account: token (re-read as it rotates), CA and namespace files. */
function inClusterConnection(prefix: string, clock: Clock): ClusterConnection {
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT;
  if (!host || !port)
    throw new KubeConfigError(
      'not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set',
    );
  const dir = join(prefix, SERVICE_ACCOUNT_DIR);
  const ca = readPem(join(dir, 'ca.crt'), 'the service-account CA');
  const tokenFile = new TokenFile(join(dir, 'token'), clock);
  let namespace = 'default';
  try {
    namespace = readFileSync(join(dir, 'namespace'), 'utf8').trim() || 'default';
  } catch {
    // No namespace file: "default", as client-go.
  }
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    tls: { ca, rejectUnauthorized: true },
    namespace,
    authHeaders: async () => ({ Authorization: `Bearer ${await tokenFile.token()}` }),
    source: 'in-cluster service account',
  };
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new KubeConfigError(`cannot read ${what} ${path}: ${errorCode(err)}`, { cause: err });
  }
}

const names = (m: ReadonlyMap<string, unknown>) => [...m.keys()].map((n) => `"${n}"`).join(', ') || 'none';

/**
 * A connection from a parsed kubeconfig (see readKubeConfigFile, mergeKubeConfigs): the
 * context (options.context, else current-context), its cluster, user and namespace.
 */
export function connectionFromKubeConfig(
  config: ParsedKubeConfig,
  options: KubeConfigConnectionOptions = {},
): ClusterConnection {
  const where = `kubeconfig ${config.files.join(':')}`;
  const contextName = options.context ?? config.currentContext;
  if (!contextName)
    throw new KubeConfigError(
      `${where} has no current-context; choose one of its contexts (${names(config.contexts)})`,
    );
  const context = config.contexts.get(contextName);
  if (!context)
    throw new KubeConfigError(
      `context "${contextName}" not found in ${where} (contexts: ${names(config.contexts)})`,
    );
  if (!context.cluster) throw new KubeConfigError(`context "${contextName}" in ${where} names no cluster`);
  const cluster = config.clusters.get(context.cluster);
  if (!cluster)
    throw new KubeConfigError(
      `context "${contextName}" refers to cluster "${context.cluster}", which is not in ${where}`,
    );
  const user = context.user ? config.users.get(context.user) : undefined;
  if (context.user && !user)
    throw new KubeConfigError(
      `context "${contextName}" refers to user "${context.user}", which is not in ${where}`,
    );
  const server = serverUrl(cluster, context.cluster);

  const ca = cluster.insecureSkipTlsVerify
    ? undefined
    : pemFrom(
        cluster.certificateAuthorityData,
        cluster.certificateAuthority,
        `cluster "${context.cluster}" CA`,
      );
  let cert: Buffer | undefined;
  let key: Buffer | undefined;
  if (user) {
    cert = pemFrom(
      user.clientCertificateData,
      user.clientCertificate,
      `user "${context.user}" client certificate`,
    );
    key = pemFrom(user.clientKeyData, user.clientKey, `user "${context.user}" client key`);
    if (!cert !== !key)
      throw new KubeConfigError(
        `user "${context.user}" in ${where} has a client ${cert ? 'certificate but no key' : 'key but no certificate'}`,
      );
  }
  const tls: TlsMaterial = {
    rejectUnauthorized: !cluster.insecureSkipTlsVerify,
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
  };

  const auth = user
    ? userAuth(user, context.user, where, {
        clock: options.clock ?? systemClock,
        cluster: execClusterInfo(cluster, server, ca),
      })
    : { authHeaders: () => Promise.resolve({}) };

  return {
    server,
    tls,
    namespace: context.namespace ?? 'default',
    ...auth,
    source: `${options.source ?? where} context ${contextName}`,
  };
}

function serverUrl(cluster: KubeConfigCluster, name: string): string {
  if (!cluster.server) throw new KubeConfigError(`cluster "${name}" has no server`);
  // Like client-go, a bare host:port means https.
  const server = /^[a-z][a-z0-9+.-]*:\/\//i.test(cluster.server)
    ? cluster.server
    : `https://${cluster.server}`;
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new KubeConfigError(`cluster "${name}" has an invalid server URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new KubeConfigError(`cluster "${name}" has a server URL that is not http(s)`);
  return server.replace(/\/+$/, '');
}

/** PEM from base64 data (which wins, as in kubectl) or from a file. */
function pemFrom(data: string | undefined, file: string | undefined, what: string): Buffer | undefined {
  if (data) return Buffer.from(data, 'base64');
  if (file) return readPem(file, what);
  return undefined;
}

function execClusterInfo(
  cluster: KubeConfigCluster,
  server: string,
  ca: Buffer | undefined,
): ExecClusterInfo {
  return {
    server,
    insecureSkipTlsVerify: cluster.insecureSkipTlsVerify,
    disableCompression: cluster.disableCompression,
    ...(cluster.tlsServerName ? { tlsServerName: cluster.tlsServerName } : {}),
    ...(ca ? { certificateAuthorityData: ca.toString('base64') } : {}),
    ...(cluster.proxyUrl ? { proxyUrl: cluster.proxyUrl } : {}),
    ...(cluster.extensions.has(EXEC_EXTENSION) ? { config: cluster.extensions.get(EXEC_EXTENSION) } : {}),
  };
}

const EXEC_EXTENSION = 'client.authentication.k8s.io/exec';

type Auth = Pick<ClusterConnection, 'authHeaders' | 'repeatedHeaders' | 'clientCertificate'>;

function userAuth(
  user: KubeConfigUser,
  name: string,
  where: string,
  deps: { clock: Clock; cluster: ExecClusterInfo },
): Auth {
  // Impersonation rides along with whatever authenticates us.
  const impersonation: Record<string, string> = {};
  const repeated: Record<string, readonly string[]> = {};
  const multi = (header: string, values: readonly string[]) => {
    if (values.length === 0) return;
    impersonation[header] = values.join(', ');
    if (values.length > 1) repeated[header] = values;
  };
  if (user.impersonate) impersonation['Impersonate-User'] = user.impersonate;
  if (user.impersonateUid) impersonation['Impersonate-Uid'] = user.impersonateUid;
  multi('Impersonate-Group', user.impersonateGroups);
  for (const [key, values] of user.impersonateUserExtra)
    multi(`Impersonate-Extra-${encodeURIComponent(key)}`, values);
  const withRepeated = Object.keys(repeated).length > 0 ? { repeatedHeaders: repeated } : {};
  const headers = (authorization?: string) =>
    authorization ? { ...impersonation, Authorization: authorization } : { ...impersonation };

  // One way to authenticate besides a client certificate, as kubectl insists.
  const methods = [
    ...(user.token || user.tokenFile ? ['token'] : []),
    ...(user.username || user.password ? ['basic auth'] : []),
    ...(user.exec ? ['exec'] : []),
    ...(user.authProvider ? ['auth-provider'] : []),
  ];
  if (methods.length > 1)
    throw new KubeConfigError(
      `user "${name}" in ${where} has more than one authentication method (${methods.join(', ')})`,
    );

  if (user.exec) {
    const plugin = new ExecPlugin(user.exec, { user: name, cluster: deps.cluster });
    return {
      ...withRepeated,
      authHeaders: async () => {
        const { token } = await plugin.credential();
        return headers(token ? `Bearer ${token}` : undefined);
      },
      clientCertificate: async () => (await plugin.credential()).clientCertificate,
    };
  }
  if (user.authProvider) {
    const { name: provider, config } = user.authProvider;
    const idToken = config['id-token']?.trim();
    if (provider !== 'oidc')
      throw new KubeConfigError(
        `user "${name}" uses the "${provider}" auth-provider, which is not supported (kubectl removed it): ` +
          'use an exec credential plugin (e.g. gke-gcloud-auth-plugin, kubelogin)',
      );
    if (!idToken)
      throw new KubeConfigError(
        `user "${name}" uses the oidc auth-provider without an id-token; refreshing OIDC tokens is not ` +
          'supported: use an exec credential plugin (e.g. kubelogin)',
      );
    const fixed = headers(`Bearer ${idToken}`);
    return { ...withRepeated, authHeaders: () => Promise.resolve(fixed) };
  }
  if (user.tokenFile) {
    const file = new TokenFile(user.tokenFile, deps.clock, user.token?.trim());
    return { ...withRepeated, authHeaders: async () => headers(`Bearer ${await file.token()}`) };
  }
  let fixed: Record<string, string>;
  if (user.token) fixed = headers(`Bearer ${user.token.trim()}`);
  else if (user.username || user.password) {
    const basic = Buffer.from(`${user.username ?? ''}:${user.password ?? ''}`).toString('base64');
    fixed = headers(`Basic ${basic}`);
  } else fixed = headers();
  return { ...withRepeated, authHeaders: () => Promise.resolve(fixed) };
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
