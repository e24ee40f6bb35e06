// The operator's configuration, read once from flags and the environment (flags win).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

export interface OperatorConfig {
  /** kubeconfig file; unset = KUBECONFIG, ~/.kube/config, then the in-cluster service account. */
  readonly kubeconfig: string | undefined;
  /** Watch one namespace only; unset = all namespaces. */
  readonly namespace: string | undefined;
  readonly leaderElect: boolean;
  readonly leaderElectionNamespace: string;
  readonly leaseName: string;
  /** This replica's identity in the Lease. */
  readonly identity: string;
  /** Port of /healthz, /readyz and /metrics. */
  readonly healthPort: number;
  readonly workers: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** The Gateway to route models through; unset = the only one, or the one labelled for it. */
  readonly gateway: { name: string; namespace: string; listener?: string } | undefined;
}

const USAGE = `Usage: airunway-operator [flags]

  --kubeconfig PATH                 kubeconfig (default: $KUBECONFIG, ~/.kube/config, in-cluster)
  --namespace NS                    watch one namespace (default: all; $WATCH_NAMESPACE)
  --leader-elect=false              run without leader election (one replica only)
  --leader-election-namespace NS    namespace of the Lease (default: $POD_NAMESPACE or airunway-system)
  --lease-name NAME                 (default: airunway-operator)
  --health-port PORT                /healthz, /readyz, /metrics (default: $HEALTH_PORT or 8081)
  --workers N                       concurrent reconciles (default: $WORKERS or 4)
  --log-level LEVEL                 debug, info, warn or error (default: $LOG_LEVEL or info)
  --gateway NS/NAME[/LISTENER]      Gateway to route models through (default: $GATEWAY, else the only
                                    Gateway, else the one labelled airunway.ai/inference-gateway=true)`;

export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): OperatorConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      kubeconfig: { type: 'string' },
      namespace: { type: 'string' },
      'leader-elect': { type: 'string' },
      'leader-election-namespace': { type: 'string' },
      'lease-name': { type: 'string' },
      'health-port': { type: 'string' },
      workers: { type: 'string' },
      'log-level': { type: 'string' },
      gateway: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const logLevel = values['log-level'] ?? env.LOG_LEVEL ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel))
    throw new Error(`invalid --log-level ${logLevel}`);
  return {
    kubeconfig: values.kubeconfig ?? env.KUBECONFIG,
    namespace: values.namespace ?? (env.WATCH_NAMESPACE || undefined),
    leaderElect: (values['leader-elect'] ?? env.LEADER_ELECT ?? 'true') !== 'false',
    leaderElectionNamespace: values['leader-election-namespace'] ?? env.POD_NAMESPACE ?? 'airunway-system',
    leaseName: values['lease-name'] ?? 'airunway-operator',
    identity: env.POD_NAME ?? `${hostname()}-${randomBytes(3).toString('hex')}`,
    healthPort: positiveInt('--health-port', values['health-port'] ?? env.HEALTH_PORT ?? '8081', true),
    workers: positiveInt('--workers', values.workers ?? env.WORKERS ?? '4'),
    logLevel: logLevel as OperatorConfig['logLevel'],
    gateway: parseGatewayRef(values.gateway ?? (env.GATEWAY || undefined)),
  };
}

function parseGatewayRef(raw: string | undefined): OperatorConfig['gateway'] {
  if (raw === undefined) return undefined;
  const [namespace, name, listener, ...rest] = raw.split('/');
  if (!namespace || !name || rest.length > 0 || listener === '')
    throw new Error(`invalid --gateway ${raw}: expected NAMESPACE/NAME or NAMESPACE/NAME/LISTENER`);
  return listener === undefined ? { namespace, name } : { namespace, name, listener };
}

function positiveInt(flag: string, raw: string, allowZero = false): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1))
    throw new Error(`invalid ${flag} ${raw}: expected an integer`);
  return n;
}
