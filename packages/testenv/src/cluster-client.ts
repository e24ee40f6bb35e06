// Everything a test needs to act on a running control plane, built from plain data
// (ControlPlaneInfo) so that a Vitest global setup can hand the cluster to tests
// running in other workers.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { binaryPath } from './binaries.js';
import { upstreamCrdFiles, type UpstreamCrdSet } from './crds.js';
import { nodeManifest, type NodeSpec } from './nodes.js';
import { appendPodLog } from './pod-logs.js';
import { run } from './processes.js';
import { kubeconfigYaml, type TestUser, type TestUsers } from './users.js';

/** Serializable facts about a running control plane. */
export interface ControlPlaneInfo {
  /** https://127.0.0.1:<port> */
  readonly server: string;
  /** PEM of the cluster CA. */
  readonly caCert: string;
  /** Admin kubeconfig file. */
  readonly kubeconfigPath: string;
  readonly users: TestUsers;
  /** The namespace users.editor may edit. */
  readonly editorNamespace: string;
  readonly binDir: string;
  readonly workDir: string;
  /**
   * The CRI-format file kwok serves as the logs of every container of every simulated pod
   * (`kubectl logs`, followed with `-f`). See SIMULATED_POD_LOG_LINES and appendPodLog().
   */
  readonly podLogFile: string;
}

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface KubectlOptions {
  readonly input?: string;
  /** Act as this user (default: admin). */
  readonly user?: TestUser;
}

export interface ClusterClient extends ControlPlaneInfo {
  /** Writes a kubeconfig for `user` and returns its path. */
  kubeconfigFor(user: TestUser, namespace?: string): Promise<string>;
  /** Runs kubectl (argument array, no shell); never throws for a non-zero exit. */
  kubectl(args: readonly string[], options?: KubectlOptions): Promise<KubectlResult>;
  /** Like kubectl(), but throws with stderr on a non-zero exit and returns stdout. */
  kubectlOk(args: readonly string[], options?: KubectlOptions): Promise<string>;
  /** Server-side applies objects (or YAML/JSON text) as admin. */
  apply(objects: string | readonly object[]): Promise<void>;
  /** Creates a namespace and waits until its `default` ServiceAccount exists (pods need it). */
  createNamespace(name: string, labels?: Record<string, string>): Promise<void>;
  installCrdFiles(files: readonly string[]): Promise<void>;
  installUpstreamCrds(sets: readonly UpstreamCrdSet[]): Promise<void>;
  addNodes(nodes: readonly NodeSpec[]): Promise<void>;
  /** Appends a line to every simulated container's log; followers receive it live. */
  appendPodLog(text: string): Promise<void>;
}

const FIELD_MANAGER = '--field-manager=airunway-testenv';

export function clusterClient(info: ControlPlaneInfo): ClusterClient {
  const kubectl = (args: readonly string[], opts: KubectlOptions = {}): Promise<KubectlResult> => {
    const auth = opts.user && opts.user.name !== info.users.admin.name ? [`--token=${opts.user.token}`] : [];
    return run(
      binaryPath(info.binDir, 'kubectl'),
      [`--kubeconfig=${info.kubeconfigPath}`, ...auth, ...args],
      {
        input: opts.input,
      },
    );
  };
  const kubectlOk = async (args: readonly string[], opts: KubectlOptions = {}) => {
    const res = await kubectl(args, opts);
    if (res.code !== 0)
      throw new Error(`kubectl ${args.join(' ')} failed (${res.code}): ${res.stderr.trim()}`);
    return res.stdout;
  };
  const apply = async (objects: string | readonly object[]) => {
    const input =
      typeof objects === 'string'
        ? objects
        : JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
    await kubectlOk(['apply', '--server-side', '--force-conflicts', FIELD_MANAGER, '-f', '-'], { input });
  };
  const installCrdFiles = async (files: readonly string[]) => {
    if (files.length === 0) return;
    const fileArgs = files.flatMap((f) => ['-f', f]);
    // Server-side: client-side apply would store the whole CRD in an annotation (256 KiB limit).
    await kubectlOk(['apply', '--server-side', '--force-conflicts', FIELD_MANAGER, ...fileArgs]);
    await kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', ...fileArgs]);
  };

  return {
    ...info,
    async kubeconfigFor(user, namespace = 'default') {
      const path = join(info.workDir, `${user.name}-${namespace}.kubeconfig`);
      const caData = Buffer.from(info.caCert).toString('base64');
      await writeFile(path, kubeconfigYaml(info.server, caData, user, namespace), { mode: 0o600 });
      return path;
    },
    kubectl,
    kubectlOk,
    apply,
    installCrdFiles,
    async installUpstreamCrds(sets) {
      await installCrdFiles((await Promise.all(sets.map(upstreamCrdFiles))).flat());
    },
    async createNamespace(name, labels = {}) {
      await apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }]);
      // The ServiceAccount admission plugin rejects pods until KCM has created `default`.
      await kubectlOk(['wait', '--for=create', '--timeout=30s', '-n', name, 'serviceaccount/default']);
    },
    async addNodes(nodes) {
      if (nodes.length === 0) return;
      await kubectlOk(['create', '-f', '-'], {
        input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: nodes.map(nodeManifest) }),
      });
      await kubectlOk([
        'wait',
        '--for=condition=Ready',
        '--timeout=60s',
        ...nodes.map((n) => `node/${n.name}`),
      ]);
    },
    appendPodLog: (text) => appendPodLog(info.podLogFile, text),
  };
}
