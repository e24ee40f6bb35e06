// A real Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler and kwok (which plays the kubelets of
// simulated nodes). Tests and local mode talk to it exactly as to a cluster.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinaries, binaryPath } from './binaries.js';
import { clusterClient, type ClusterClient } from './cluster-client.js';
import { productCrdFiles, upstreamCrdFiles, type UpstreamCrdSet } from './crds.js';
import { waitHealthy } from './http.js';
import type { NodeSpec } from './nodes.js';
import { createPki } from './pki.js';
import { kwokConfig, writePodLogFile } from './pod-logs.js';
import { freePorts } from './ports.js';
import { startProcess, type ManagedProcess } from './processes.js';
import { createUsers, kubeconfigYaml, tokenAuthFile, type TestUsers } from './users.js';

export interface ControlPlaneOptions {
  /** Simulated nodes to create (default: none). See DEFAULT_TOPOLOGY. */
  readonly nodes?: readonly NodeSpec[];
  /** Install the product's CRDs from deploy/crds (default: true). */
  readonly productCrds?: boolean;
  /** Upstream provider CRD sets to install (default: none). */
  readonly upstreamCrds?: readonly UpstreamCrdSet[];
  /** The namespace the editor user may edit (default: "team-a"); it is created. */
  readonly editorNamespace?: string;
  /** Where binaries are (default: built or found by ensureBinaries()). */
  readonly binDir?: string;
  /** Progress messages (default: silent). */
  readonly log?: (message: string) => void;
  /** Keep the work directory (logs, etcd data) after stop() for debugging. */
  readonly keepWorkDir?: boolean;
  /**
   * Write an audit log (level Metadata: who did what, with the user agent) to
   * `auditLogPath`, e.g. to count an operator's requests in a benchmark.
   */
  readonly auditLog?: boolean;
}

export interface ControlPlane extends ClusterClient {
  /** Milliseconds from start to each milestone ("etcd healthy", "accepts writes", "ready", …). */
  readonly timings: Readonly<Record<string, number>>;
  /** Stops every process (whole process groups) and removes the work directory. */
  stop(): Promise<void>;
  /** JSON lines of the audit log, when started with `auditLog: true`. */
  readonly auditLogPath: string | undefined;
  /** Stops kube-apiserver and starts it again on the same port (clients see a dropped connection). */
  restartApiServer(): Promise<void>;
}

const START_TIMEOUT_MS = 90_000;

export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const mark = (name: string) => {
    timings[name] = Date.now() - t0;
    options.log?.(`${name} (${timings[name]} ms)`);
  };

  const binDir = options.binDir ?? (await ensureBinaries());
  mark('binaries ready');
  const workDir = await mkdtemp(join(tmpdir(), 'airunway-testenv-'));
  const processes: ManagedProcess[] = [];
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Reverse start order: clients first, etcd last.
    for (const p of [...processes].reverse()) await p.stop();
    if (!options.keepWorkDir) await rm(workDir, { recursive: true, force: true });
  };

  try {
    const [pki, ports, users] = await Promise.all([
      createPki(workDir),
      freePorts(6),
      Promise.resolve(createUsers()),
    ]);
    const [etcdPort, peerPort, apiPort, kcmPort, schedPort, kwokPort] = ports as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const caCert = await readFile(pki.caCert, 'utf8');
    const server = `https://127.0.0.1:${apiPort}`;
    const tokensFile = join(workDir, 'tokens.csv');
    await writeFile(tokensFile, tokenAuthFile(users), { mode: 0o600 });
    const caData = Buffer.from(caCert).toString('base64');
    const kubeconfigPath = join(workDir, 'admin.kubeconfig');
    await writeFile(kubeconfigPath, kubeconfigYaml(server, caData, users.admin), { mode: 0o600 });
    const podLogFile = await writePodLogFile(workDir);
    const kwokConfigFile = join(workDir, 'kwok.yaml');
    await writeFile(kwokConfigFile, await kwokConfig(binaryPath(binDir, 'kwok-stages.yaml'), podLogFile));
    mark('pki ready');

    const argsOf = new Map<string, string[]>();
    const start = (name: string, args: string[]) => {
      const p = startProcess(name, binaryPath(binDir, name as never), args, join(workDir, `${name}.log`));
      argsOf.set(name, args);
      processes.push(p);
      return p;
    };

    const etcd = start('etcd', [
      '--name=node0',
      `--data-dir=${join(workDir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=node0=http://127.0.0.1:${peerPort}`,
      '--unsafe-no-fsync=true', // a test cluster; durability is not the point
      '--auto-compaction-retention=1',
      '--quota-backend-bytes=8589934592',
      '--max-request-bytes=10485760', // the Dynamo CRD is 1.6 MB of YAML
      '--log-level=warn',
    ]);
    await waitHealthy('etcd', `http://127.0.0.1:${etcdPort}/health`, {
      timeoutMs: START_TIMEOUT_MS,
      exited: etcd.exited,
      logFile: etcd.logFile,
    });
    mark('etcd healthy');

    const auditLogPath = options.auditLog ? join(workDir, 'audit.log') : undefined;
    const auditArgs: string[] = [];
    if (auditLogPath) {
      const policy = join(workDir, 'audit-policy.yaml');
      await writeFile(
        policy,
        JSON.stringify({
          apiVersion: 'audit.k8s.io/v1',
          kind: 'Policy',
          omitStages: ['RequestReceived'],
          rules: [{ level: 'Metadata' }],
        }),
      );
      auditArgs.push(
        `--audit-policy-file=${policy}`,
        `--audit-log-path=${auditLogPath}`,
        '--audit-log-format=json',
        '--audit-log-mode=batch',
      );
    }
    const apiserver = start('kube-apiserver', [
      ...auditArgs,
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      '--advertise-address=127.0.0.1',
      // Loopback may not be written into the `kubernetes` Endpoints; nothing here needs it.
      '--endpoint-reconciler-type=none',
      // Reach "kubelets" (kwok) at the node's InternalIP, 127.0.0.1: kwok also reports a
      // Hostname address (the node's name), which the default order would try first and no
      // resolver knows.
      '--kubelet-preferred-address-types=InternalIP',
      `--tls-cert-file=${pki.servingCert}`,
      `--tls-private-key-file=${pki.servingKey}`,
      `--client-ca-file=${pki.caCert}`,
      `--token-auth-file=${tokensFile}`,
      '--authorization-mode=Node,RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.serviceAccountPub}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--allow-privileged=true',
      '--profiling=false',
      '--v=1',
    ]);
    await waitHealthy('kube-apiserver', `${server}/readyz`, {
      ca: caCert,
      timeoutMs: START_TIMEOUT_MS,
      exited: apiserver.exited,
      logFile: apiserver.logFile,
    });
    mark('kube-apiserver ready');

    const componentAuth = [
      `--kubeconfig=${kubeconfigPath}`,
      `--authentication-kubeconfig=${kubeconfigPath}`,
      `--authorization-kubeconfig=${kubeconfigPath}`,
      '--bind-address=127.0.0.1',
      '--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics',
      '--leader-elect=false',
    ];
    const kcm = start('kube-controller-manager', [
      ...componentAuth,
      `--secure-port=${kcmPort}`,
      `--service-account-private-key-file=${pki.serviceAccountKey}`,
      `--root-ca-file=${pki.caCert}`,
      `--cluster-signing-cert-file=${pki.caCert}`,
      `--cluster-signing-key-file=${pki.caKey}`,
      '--node-monitor-period=5s',
      // The defaults (20 qps, burst 30) make a thousand Deployments queue for minutes.
      '--kube-api-qps=200',
      '--kube-api-burst=400',
      '--node-monitor-grace-period=40s',
    ]);
    const scheduler = start('kube-scheduler', [
      ...componentAuth,
      `--secure-port=${schedPort}`,
      '--kube-api-qps=200',
      '--kube-api-burst=400',
    ]);
    const kwok = start('kwok', [
      `--kubeconfig=${kubeconfigPath}`,
      `--config=${kwokConfigFile}`,
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      '--node-ip=127.0.0.1', // any apiserver→"kubelet" traffic (logs, exec) stays on loopback
      '--cidr=10.244.0.0/16',
      '--node-lease-duration-seconds=40',
      // One port for both: kwok serves its kubelet API (logs, healthz) on --server-address and
      // writes --node-port into each node's status.daemonEndpoints.kubeletEndpoint, which is
      // where the apiserver sends `pods/log`. HTTPS and plain HTTP share the port.
      `--server-address=127.0.0.1:${kwokPort}`,
      `--node-port=${kwokPort}`,
      `--tls-cert-file=${pki.servingCert}`,
      `--tls-private-key-file=${pki.servingKey}`,
    ]);

    await Promise.all([
      waitHealthy('kube-controller-manager', `https://127.0.0.1:${kcmPort}/healthz`, {
        timeoutMs: START_TIMEOUT_MS,
        exited: kcm.exited,
        logFile: kcm.logFile,
      }),
      waitHealthy('kube-scheduler', `https://127.0.0.1:${schedPort}/healthz`, {
        timeoutMs: START_TIMEOUT_MS,
        exited: scheduler.exited,
        logFile: scheduler.logFile,
      }),
      waitHealthy('kwok', `http://127.0.0.1:${kwokPort}/healthz`, {
        timeoutMs: START_TIMEOUT_MS,
        exited: kwok.exited,
        logFile: kwok.logFile,
      }),
    ]);
    mark('controllers healthy');

    const editorNamespace = options.editorNamespace ?? 'team-a';
    const client = clusterClient({
      server,
      caCert,
      kubeconfigPath,
      users,
      editorNamespace,
      binDir,
      workDir,
      podLogFile,
    });
    await client.apply(limitedUserRbac(users, editorNamespace));
    mark('accepts writes');

    const crdFiles = [
      ...(options.productCrds === false ? [] : await productCrdFiles()),
      ...(await Promise.all((options.upstreamCrds ?? []).map(upstreamCrdFiles))).flat(),
    ];
    await Promise.all([client.installCrdFiles(crdFiles), client.addNodes(options.nodes ?? [])]);
    mark('ready');
    const restartApiServer = async () => {
      const index = processes.findIndex((p) => p.name === 'kube-apiserver');
      const old = processes[index];
      if (!old) throw new Error('kube-apiserver is not running');
      await old.stop();
      processes.splice(index, 1);
      const args = argsOf.get('kube-apiserver') ?? [];
      const restarted = start('kube-apiserver', args);
      await waitHealthy('kube-apiserver', `${server}/readyz`, {
        ca: caCert,
        timeoutMs: START_TIMEOUT_MS,
        exited: restarted.exited,
        logFile: restarted.logFile,
      });
    };

    return { ...client, timings, stop, restartApiServer, auditLogPath };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

/** RBAC for the limited users: `editor` may edit one namespace, `viewer` may only read. */
function limitedUserRbac(users: TestUsers, namespace: string): object[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'testenv-editor', namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: users.editor.name }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'testenv-viewer' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: users.viewer.name }],
    },
  ];
}
