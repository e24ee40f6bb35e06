// Kubeconfig files, read the way kubectl reads them: YAML or JSON, relative paths resolved
// against the directory of the file that contains them, and KUBECONFIG's merge rule (the
// first file to set a map entry or current-context wins, whole entries are never merged).
// The result is our own plain types; kubeconfig.ts turns it into a ClusterConnection.
//
// Error messages name files, fields and entries but never print values: a kubeconfig holds
// tokens, passwords and keys, and these messages end up in logs.
import { readFileSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, resolve, sep } from 'node:path';
import { parseDocument, type Tags } from 'yaml';
import { KubeConfigError } from './errors.js';

export interface KubeConfigCluster {
  /** As written ("" when missing); connectionFromKubeConfig validates it. */
  readonly server: string;
  /** Absolute path of a PEM CA bundle (`certificate-authority`). */
  readonly certificateAuthority?: string;
  /** Base64 PEM (`certificate-authority-data`); wins over certificateAuthority. */
  readonly certificateAuthorityData?: string;
  readonly insecureSkipTlsVerify: boolean;
  readonly tlsServerName?: string;
  /** Parsed but not used: KubeClient connects directly (see README). */
  readonly proxyUrl?: string;
  readonly disableCompression: boolean;
  /** `extensions` by name; "client.authentication.k8s.io/exec" is handed to exec plugins. */
  readonly extensions: ReadonlyMap<string, unknown>;
}

export type ExecInteractiveMode = 'Never' | 'IfAvailable' | 'Always';

/** A client-go credential plugin (`users[].user.exec`). */
export interface ExecConfig {
  /** client.authentication.k8s.io/v1 or v1beta1. */
  readonly apiVersion: string;
  /** Looked up in PATH when it has no path separator; otherwise absolute (resolved). */
  readonly command: string;
  readonly args: readonly string[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly installHint?: string;
  readonly provideClusterInfo: boolean;
  readonly interactiveMode?: ExecInteractiveMode;
}

export interface AuthProviderConfig {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
}

export interface KubeConfigUser {
  /** Absolute paths of PEM files; the -data fields (base64 PEM) win over them. */
  readonly clientCertificate?: string;
  readonly clientCertificateData?: string;
  readonly clientKey?: string;
  readonly clientKeyData?: string;
  readonly token?: string;
  /** Absolute path; re-read periodically and preferred over token when readable. */
  readonly tokenFile?: string;
  readonly username?: string;
  readonly password?: string;
  /** `as`, `as-uid`, `as-groups`, `as-user-extra`. */
  readonly impersonate?: string;
  readonly impersonateUid?: string;
  readonly impersonateGroups: readonly string[];
  readonly impersonateUserExtra: ReadonlyMap<string, readonly string[]>;
  readonly authProvider?: AuthProviderConfig;
  readonly exec?: ExecConfig;
}

export interface KubeConfigContext {
  readonly cluster: string;
  /** "" = no credentials. */
  readonly user: string;
  readonly namespace?: string;
}

/** One kubeconfig file, or several merged. */
export interface ParsedKubeConfig {
  readonly clusters: ReadonlyMap<string, KubeConfigCluster>;
  readonly users: ReadonlyMap<string, KubeConfigUser>;
  readonly contexts: ReadonlyMap<string, KubeConfigContext>;
  readonly currentContext?: string;
  /** The files it came from, in merge order (for messages). */
  readonly files: readonly string[];
}

type Json = Record<string, unknown>;

const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Field access with type checks whose errors say where (file and path) but not what the
 * value was.
 */
class Fields {
  constructor(
    readonly obj: Json,
    readonly where: string,
  ) {}

  private fail(key: string, expected: string): never {
    throw new KubeConfigError(`${this.where}.${key} must be ${expected}`);
  }

  raw(key: string): unknown {
    return Object.hasOwn(this.obj, key) ? this.obj[key] : undefined;
  }

  /** A string; "" and null count as absent. Booleans are taken back to their text. */
  string(key: string): string | undefined {
    const v = this.raw(key);
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'boolean') return String(v);
    return this.fail(key, 'a string');
  }

  bool(key: string): boolean {
    const v = this.raw(key);
    if (v === undefined || v === null) return false;
    if (typeof v === 'boolean') return v;
    // YAML 1.1 spellings, which Go's YAML decoder accepts for booleans.
    if (typeof v === 'string') {
      const lower = v.toLowerCase();
      if (['true', 'yes', 'y', 'on'].includes(lower)) return true;
      if (['false', 'no', 'n', 'off', ''].includes(lower)) return false;
    }
    return this.fail(key, 'true or false');
  }

  map(key: string): Fields | undefined {
    const v = this.raw(key);
    if (v === undefined || v === null) return undefined;
    if (!isMap(v)) return this.fail(key, 'a map');
    return new Fields(v, `${this.where}.${key}`);
  }

  list(key: string): unknown[] {
    const v = this.raw(key);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) return this.fail(key, 'a list');
    return v as unknown[];
  }

  stringList(key: string): string[] {
    return this.list(key).map((item, i) => {
      if (typeof item === 'string') return item;
      if (typeof item === 'boolean') return String(item);
      return this.fail(`${key}[${i}]`, 'a string');
    });
  }

  stringMap(key: string): Record<string, string> {
    const m = this.map(key);
    if (!m) return {};
    return Object.fromEntries(Object.keys(m.obj).map((k) => [k, m.string(k) ?? '']));
  }
}

/**
 * Plain YAML scalars that look like numbers stay strings: every kubeconfig field we read is a
 * string or a boolean, and a token, password or name such as 0123 or 1e5 must keep its text.
 */
const withoutNumberTags = (tags: Tags): Tags =>
  tags.filter(
    (t) =>
      typeof t === 'string' || (t.tag !== 'tag:yaml.org,2002:int' && t.tag !== 'tag:yaml.org,2002:float'),
  );

function parseYaml(text: string, file: string, numbers: boolean): unknown {
  const doc = parseDocument(text, {
    prettyErrors: false, // the pretty form quotes the offending line, which may hold a secret
    logLevel: 'silent',
    ...(numbers ? {} : { customTags: withoutNumberTags }),
  });
  const err = doc.errors[0];
  if (err) {
    const line = text.slice(0, err.pos[0]).split('\n').length;
    throw new KubeConfigError(`${file}: not valid YAML (line ${line}: ${err.code})`);
  }
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}

/** Parses kubeconfig text; relative paths in it are resolved against dirname(file). */
export function parseKubeConfig(text: string, file: string): ParsedKubeConfig {
  const root = parseYaml(text, file, false);
  if (root === null || root === undefined) return emptyConfig(file);
  if (!isMap(root)) throw new KubeConfigError(`${file}: a kubeconfig must be a YAML map`);
  const top = new Fields(root, file);
  const base = dirname(resolve(file));
  const path = (p: string | undefined): string | undefined =>
    p === undefined ? undefined : isAbsolute(p) ? p : resolve(base, p);
  // Extension values are free-form: read them from a parse that keeps numbers as numbers.
  let numeric: Json | undefined;
  const numericRoot = (): Json => (numeric ??= parseYaml(text, file, true) as Json);

  const named = <T>(key: string, field: string, build: (f: Fields, name: string, index: number) => T) => {
    const out = new Map<string, T>();
    top.list(key).forEach((entry, i) => {
      if (!isMap(entry)) throw new KubeConfigError(`${file}: ${key}[${i}] must be a map`);
      const item = new Fields(entry, `${file}: ${key}[${i}]`);
      const name = item.string('name');
      if (name === undefined) throw new KubeConfigError(`${file}: ${key}[${i}] has no name`);
      if (out.has(name)) throw new KubeConfigError(`${file}: ${key} has two entries named "${name}"`);
      const body = item.map(field) ?? new Fields({}, `${file}: ${key}[${i}].${field}`);
      out.set(name, build(new Fields(body.obj, `${file}: ${key}["${name}"].${field}`), name, i));
    });
    return out;
  };

  const clusters = named('clusters', 'cluster', (c, _name, i): KubeConfigCluster => {
    const extensions = new Map<string, unknown>();
    c.list('extensions').forEach((ext, j) => {
      if (!isMap(ext)) throw new KubeConfigError(`${c.where}.extensions[${j}] must be a map`);
      const name = new Fields(ext, `${c.where}.extensions[${j}]`).string('name');
      if (name === undefined) return;
      const clusterJson = (numericRoot().clusters as Json[] | undefined)?.[i]?.cluster as Json | undefined;
      const extJson = (clusterJson?.extensions as Json[] | undefined)?.[j];
      extensions.set(name, extJson?.extension);
    });
    return {
      server: c.string('server') ?? '',
      certificateAuthority: path(c.string('certificate-authority')),
      certificateAuthorityData: c.string('certificate-authority-data'),
      insecureSkipTlsVerify: c.bool('insecure-skip-tls-verify'),
      tlsServerName: c.string('tls-server-name'),
      proxyUrl: c.string('proxy-url'),
      disableCompression: c.bool('disable-compression'),
      extensions,
    };
  });

  const users = named('users', 'user', (u): KubeConfigUser => {
    const extra = new Map<string, readonly string[]>();
    const extraMap = u.map('as-user-extra');
    if (extraMap) for (const k of Object.keys(extraMap.obj)) extra.set(k, extraMap.stringList(k));
    const authProvider = u.map('auth-provider');
    const exec = u.map('exec');
    return {
      clientCertificate: path(u.string('client-certificate')),
      clientCertificateData: u.string('client-certificate-data'),
      clientKey: path(u.string('client-key')),
      clientKeyData: u.string('client-key-data'),
      token: u.string('token'),
      tokenFile: path(u.string('tokenFile')),
      username: u.string('username'),
      password: u.string('password'),
      impersonate: u.string('as'),
      impersonateUid: u.string('as-uid'),
      impersonateGroups: u.stringList('as-groups'),
      impersonateUserExtra: extra,
      authProvider: authProvider && {
        name: authProvider.string('name') ?? '',
        config: authProvider.stringMap('config'),
      },
      exec: exec && parseExec(exec, base),
    };
  });

  const contexts = named('contexts', 'context', (c): KubeConfigContext => ({
    cluster: c.string('cluster') ?? '',
    user: c.string('user') ?? '',
    namespace: c.string('namespace'),
  }));

  return { clusters, users, contexts, currentContext: top.string('current-context'), files: [file] };
}

function parseExec(e: Fields, base: string): ExecConfig {
  const command = e.string('command');
  if (command === undefined) throw new KubeConfigError(`${e.where}.command is missing`);
  const mode = e.string('interactiveMode');
  if (mode !== undefined && mode !== 'Never' && mode !== 'IfAvailable' && mode !== 'Always')
    throw new KubeConfigError(`${e.where}.interactiveMode must be Never, IfAvailable or Always`);
  const env = e.list('env').map((item, i) => {
    if (!isMap(item)) throw new KubeConfigError(`${e.where}.env[${i}] must be a map`);
    const f = new Fields(item, `${e.where}.env[${i}]`);
    const name = f.string('name');
    if (name === undefined) throw new KubeConfigError(`${f.where} has no name`);
    return { name, value: f.string('value') ?? '' };
  });
  return {
    apiVersion: e.string('apiVersion') ?? '',
    // Like client-go: a command with a path separator is a path, relative to the kubeconfig;
    // a bare name is looked up in PATH.
    command: command.includes(sep) || command.includes('/') ? resolve(base, command) : command,
    args: e.stringList('args'),
    env,
    installHint: e.string('installHint'),
    provideClusterInfo: e.bool('provideClusterInfo'),
    interactiveMode: mode,
  };
}

function emptyConfig(file: string): ParsedKubeConfig {
  return { clusters: new Map(), users: new Map(), contexts: new Map(), files: [file] };
}

/** Reads one kubeconfig file; a missing or unreadable file is an error. */
export function readKubeConfigFile(file: string): ParsedKubeConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new KubeConfigError(`cannot read kubeconfig ${file}: ${errorCode(err)}`, { cause: err });
  }
  return parseKubeConfig(text, file);
}

/**
 * Merges kubeconfigs in KUBECONFIG order: for every cluster, user and context (by name) and
 * for current-context, the first config that sets it wins; later entries of the same name
 * are dropped whole, never merged field by field.
 */
export function mergeKubeConfigs(configs: readonly ParsedKubeConfig[]): ParsedKubeConfig {
  const mergeMaps = <T>(pick: (c: ParsedKubeConfig) => ReadonlyMap<string, T>) => {
    const out = new Map<string, T>();
    for (const c of configs) for (const [name, v] of pick(c)) if (!out.has(name)) out.set(name, v);
    return out;
  };
  return {
    clusters: mergeMaps((c) => c.clusters),
    users: mergeMaps((c) => c.users),
    contexts: mergeMaps((c) => c.contexts),
    currentContext: configs.find((c) => c.currentContext)?.currentContext,
    files: configs.flatMap((c) => c.files),
  };
}

/** The files listed in KUBECONFIG (empty names dropped, duplicates once); undefined if unset or empty. */
export function kubeconfigPathsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const value = env.KUBECONFIG;
  if (!value) return undefined;
  const paths = [...new Set(value.split(delimiter).filter((p) => p !== ''))];
  return paths.length > 0 ? paths : undefined;
}

/**
 * Reads and merges the files of a KUBECONFIG-style list. Files that do not exist are
 * skipped (as kubectl does); undefined when none exists. Unreadable or invalid files are
 * errors.
 */
export function readKubeConfigFiles(files: readonly string[]): ParsedKubeConfig | undefined {
  const configs: ParsedKubeConfig[] = [];
  for (const file of files) {
    try {
      configs.push(readKubeConfigFile(file));
    } catch (err) {
      if (err instanceof KubeConfigError && errorCode(err.cause) === 'ENOENT') continue;
      throw err;
    }
  }
  return configs.length > 0 ? mergeKubeConfigs(configs) : undefined;
}

export function errorCode(err: unknown): string {
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.message : String(err);
}
