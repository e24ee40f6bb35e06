// Credentials that change while the process runs: token files (bound service-account tokens
// rotate under a running pod; kubeconfig `tokenFile`) and client-go credential plugins
// (`exec`), which print an ExecCredential with a token or a client certificate and, usually,
// an expiry. Secrets never reach an error message: failures name the file or command and
// quote the plugin's stderr, with anything that looks like a bearer token removed.
import { execFile, type ExecFileException } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { systemClock, type Clock } from './clock.js';
import { KubeConfigError } from './errors.js';
import { errorCode, type ExecConfig } from './kubeconfig-file.js';

/** PEM client certificate (with intermediates) and its key. */
export interface ClientCertificate {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

/** How long a token read from a file is used before the file is read again. */
export const TOKEN_FILE_REREAD_MS = 10_000;

/**
 * A bearer token in a file, re-read at most every {@link TOKEN_FILE_REREAD_MS} (kubelet
 * replaces projected tokens well before they expire, so a token up to 10 s old is fine). The
 * first read is synchronous so that a missing file fails at load time.
 */
export class TokenFile {
  private value: string;
  private readAt: number;
  private pending: Promise<string> | undefined;

  /** `fallback`: a kubeconfig's `token`, used while the file cannot be read. */
  constructor(
    readonly path: string,
    private readonly clock: Clock = systemClock,
    fallback?: string,
  ) {
    let first: string | undefined;
    let problem: string;
    try {
      first = readFileSync(path, 'utf8').trim();
      problem = 'it is empty';
    } catch (err) {
      problem = errorCode(err);
    }
    if (!first && !fallback) throw new KubeConfigError(`cannot use token file ${path}: ${problem}`);
    this.value = first || (fallback ?? '');
    this.readAt = clock.now();
  }

  token(): Promise<string> {
    if (this.clock.now() - this.readAt < TOKEN_FILE_REREAD_MS) return Promise.resolve(this.value);
    this.pending ??= this.reread().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async reread(): Promise<string> {
    try {
      const token = (await readFile(this.path, 'utf8')).trim();
      if (token) this.value = token;
    } catch {
      // Keep the last token: the file is being replaced, or it is gone and the apiserver will
      // say whether the old token still works. The next read is one interval away.
    }
    this.readAt = this.clock.now();
    return this.value;
  }
}

/** What a plugin with provideClusterInfo gets in KUBERNETES_EXEC_INFO's spec.cluster. */
export interface ExecClusterInfo {
  readonly server: string;
  readonly tlsServerName?: string;
  readonly insecureSkipTlsVerify: boolean;
  /** Base64 PEM. */
  readonly certificateAuthorityData?: string;
  readonly proxyUrl?: string;
  readonly disableCompression: boolean;
  /** The cluster's "client.authentication.k8s.io/exec" extension. */
  readonly config?: unknown;
}

export interface ExecCredential {
  readonly token?: string;
  readonly clientCertificate?: ClientCertificate;
  /** Epoch ms from status.expirationTimestamp; undefined = valid for the life of the process. */
  readonly expiresAt?: number;
}

export interface ExecPluginOptions {
  /** Name of the kubeconfig user, for messages. */
  readonly user: string;
  /** Passed to the plugin when the exec config has provideClusterInfo. */
  readonly cluster?: ExecClusterInfo;
  /** The plugin is killed after this long (default 60 s); we cannot answer prompts anyway. */
  readonly timeoutMs?: number;
  /** Wall clock in epoch ms (expirationTimestamp is a wall-clock time). */
  readonly now?: () => number;
}

export const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];
/** A credential is replaced this long before it expires (at most half its lifetime). */
export const EXEC_EXPIRY_MARGIN_MS = 10_000;
const STDERR_LIMIT = 2_000;

/**
 * A client-go credential plugin. The command runs with an argument array (no shell), the
 * kubeconfig's env added to ours and KUBERNETES_EXEC_INFO describing the request (never
 * interactive). Its ExecCredential is cached until shortly before status.expirationTimestamp,
 * or for the life of the process when there is none (as kubectl does); concurrent callers
 * share one run.
 */
export class ExecPlugin {
  private cached: { readonly credential: ExecCredential; readonly refreshAt: number } | undefined;
  private pending: Promise<ExecCredential> | undefined;
  private readonly now: () => number;
  private readonly label: string;

  constructor(
    readonly config: ExecConfig,
    private readonly options: ExecPluginOptions,
  ) {
    this.now = options.now ?? (() => Date.now());
    this.label = `exec plugin "${config.command}" of user "${options.user}"`;
    if (!EXEC_API_VERSIONS.includes(config.apiVersion))
      throw new KubeConfigError(
        `${this.label}: apiVersion "${config.apiVersion}" is not supported (use ${EXEC_API_VERSIONS.join(' or ')})`,
      );
    if (config.interactiveMode === 'Always')
      throw new KubeConfigError(
        `${this.label} needs a terminal (interactiveMode: Always), and this process has none`,
      );
  }

  credential(): Promise<ExecCredential> {
    const cached = this.cached;
    if (cached && this.now() < cached.refreshAt) return Promise.resolve(cached.credential);
    this.pending ??= this.run().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async run(): Promise<ExecCredential> {
    const { stdout } = await this.exec();
    const credential = this.parse(stdout);
    const now = this.now();
    const expiresAt = credential.expiresAt;
    const refreshAt =
      expiresAt === undefined
        ? Infinity
        : expiresAt - Math.min(EXEC_EXPIRY_MARGIN_MS, Math.max(0, (expiresAt - now) / 2));
    this.cached = { credential, refreshAt };
    return credential;
  }

  private execInfo(): string {
    const spec: Record<string, unknown> = { interactive: false };
    const cluster = this.options.cluster;
    if (this.config.provideClusterInfo && cluster) {
      spec.cluster = {
        server: cluster.server,
        ...(cluster.tlsServerName ? { 'tls-server-name': cluster.tlsServerName } : {}),
        ...(cluster.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
        ...(cluster.certificateAuthorityData
          ? { 'certificate-authority-data': cluster.certificateAuthorityData }
          : {}),
        ...(cluster.proxyUrl ? { 'proxy-url': cluster.proxyUrl } : {}),
        ...(cluster.disableCompression ? { 'disable-compression': true } : {}),
        ...(cluster.config !== undefined ? { config: cluster.config } : {}),
      };
    }
    return JSON.stringify({ apiVersion: this.config.apiVersion, kind: 'ExecCredential', spec });
  }

  private exec(): Promise<{ stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const { name, value } of this.config.env) env[name] = value;
    env.KUBERNETES_EXEC_INFO = this.execInfo();
    const timeoutMs = this.options.timeoutMs ?? 60_000;
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const child = execFile(
        this.config.command,
        this.config.args,
        { env, timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024, windowsHide: true, encoding: 'utf8' },
        (err: ExecFileException | null, stdout: string, stderr: string) => {
          if (!err) {
            resolve({ stdout, stderr });
            return;
          }
          let what: string;
          if (err.code === 'ENOENT') {
            what = 'failed: command not found';
            if (this.config.installHint) what += ` (${this.config.installHint.trim()})`;
          } else if (err.killed && performance.now() - started >= timeoutMs) {
            what = `did not finish within ${Math.round(timeoutMs / 1000)} s`;
          } else if (typeof err.code === 'number') {
            what = `failed with exit code ${err.code}`;
          } else if (err.signal) {
            what = `was killed by ${err.signal}`;
          } else {
            what = `failed: ${typeof err.code === 'string' ? err.code : 'could not run it'}`;
          }
          const detail = this.redact(stderr);
          reject(new KubeConfigError(`${this.label} ${what}${detail ? `: ${detail}` : ''}`));
        },
      );
      // Never interactive: a plugin that reads stdin sees end of input at once.
      child.stdin?.end();
    });
  }

  /** The plugin's stderr for an error message: trimmed, shortened, tokens removed. */
  private redact(stderr: string): string {
    let text = stderr.trim();
    const known = this.cached?.credential.token;
    if (known) text = text.split(known).join('[redacted]');
    text = text.replace(/\b(bearer\s+)[^\s"',;)\]}]+/gi, '$1[redacted]');
    // JWTs (service-account and OIDC tokens).
    text = text.replace(/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, '[redacted]');
    return text.length > STDERR_LIMIT ? `…${text.slice(-STDERR_LIMIT)}` : text;
  }

  private parse(stdout: string): ExecCredential {
    const fail = (what: string) => new KubeConfigError(`${this.label} ${what}`);
    let json: unknown;
    try {
      json = JSON.parse(stdout);
    } catch {
      throw fail('did not print an ExecCredential (no JSON on stdout)');
    }
    if (typeof json !== 'object' || json === null || (json as { kind?: unknown }).kind !== 'ExecCredential')
      throw fail('did not print an ExecCredential');
    const { apiVersion, status } = json as { apiVersion?: unknown; status?: unknown };
    if (apiVersion !== this.config.apiVersion)
      throw fail(
        `printed an ExecCredential of apiVersion "${String(apiVersion).slice(0, 100)}", but the kubeconfig asks for ${this.config.apiVersion}`,
      );
    if (typeof status !== 'object' || status === null) throw fail('printed an ExecCredential without status');
    const s = status as Record<string, unknown>;
    const str = (key: string): string | undefined => {
      const v = s[key];
      if (v === undefined || v === null || v === '') return undefined;
      if (typeof v !== 'string') throw fail(`printed an ExecCredential whose status.${key} is not a string`);
      return v;
    };
    const token = str('token');
    const cert = str('clientCertificateData');
    const key = str('clientKeyData');
    if ((cert === undefined) !== (key === undefined))
      throw fail('printed a client certificate without a key, or a key without a certificate');
    if (token === undefined && cert === undefined)
      throw fail('printed an ExecCredential with neither a token nor a client certificate and key');
    const expiration = str('expirationTimestamp');
    let expiresAt: number | undefined;
    if (expiration !== undefined) {
      expiresAt = Date.parse(expiration);
      if (Number.isNaN(expiresAt)) throw fail('printed an invalid status.expirationTimestamp');
    }
    return {
      ...(token !== undefined ? { token: token.trim() } : {}),
      ...(cert !== undefined && key !== undefined ? { clientCertificate: { cert, key } } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    };
  }
}
