// What to run for a pinned chart: where it comes from (its catalogue repository, or one
// mirror repository that serves every chart the product installs), the Helm arguments of
// each step, and the same install as shell commands for people who install by hand.
export interface ChartSpec {
  readonly displayName: string;
  /** The Helm repository the chart is published in, when it is. */
  readonly repository?: { readonly name: string; readonly url: string };
  /** `<repo>/<chart>`, or the URL of a chart archive. */
  readonly chart: string;
  readonly version: string;
  readonly release: string;
  readonly namespace: string;
  /** `--set-json` values, by path. */
  readonly values: Readonly<Record<string, unknown>>;
}

/** Where `helm pull` finds a chart. */
export interface ChartSource {
  readonly chart: string;
  readonly repoUrl?: string;
  /** Absent for an archive URL, which names its version itself. */
  readonly version?: string;
}

const URL_CHART = /^(https?|oci):\/\//;
const MIRROR_REPO_NAME = 'airunway-mirror';

/** The chart's own name: `kuberay/kuberay-operator` → kuberay-operator, `…/dynamo-platform-1.4.0.tgz` → dynamo-platform. */
export function chartName(spec: ChartSpec): string {
  if (URL_CHART.test(spec.chart)) {
    const file = spec.chart.split('/').pop() ?? spec.chart;
    return file.replace(/\.tgz$/, '').replace(new RegExp(`-${escapeRegExp(spec.version)}$`), '');
  }
  return spec.chart.split('/').pop() ?? spec.chart;
}

export function chartSource(spec: ChartSpec, mirror?: string): ChartSource {
  if (mirror) return { chart: chartName(spec), repoUrl: mirror, version: spec.version };
  if (URL_CHART.test(spec.chart)) return { chart: spec.chart };
  if (!spec.repository) throw new Error(`chart ${spec.chart} names no repository`);
  return { chart: chartName(spec), repoUrl: spec.repository.url, version: spec.version };
}

function setJsonArgs(values: ChartSpec['values']): string[] {
  return Object.entries(values).flatMap(([path, value]) => [
    '--set-json',
    `${path}=${JSON.stringify(value)}`,
  ]);
}

export function pullArgs(source: ChartSource, destination: string): string[] {
  return [
    'pull',
    source.chart,
    ...(source.repoUrl ? ['--repo', source.repoUrl] : []),
    ...(source.version ? ['--version', source.version] : []),
    '--destination',
    destination,
  ];
}

/** Renders the chart as it would be installed, CRDs included: what permissions it needs. */
export function templateArgs(spec: ChartSpec, chartPath: string): string[] {
  return [
    'template',
    spec.release,
    chartPath,
    '--namespace',
    spec.namespace,
    '--include-crds',
    ...setJsonArgs(spec.values),
  ];
}

/**
 * Installs or upgrades the release and waits until its workloads are ready: an install that
 * returns has a running operator. `--wait` alone means "wait" in Helm 3 and the watcher
 * strategy in Helm 4.
 */
export function installArgs(
  spec: ChartSpec,
  chartPath: string,
  options: { timeoutSeconds: number; createNamespace: boolean },
): string[] {
  return [
    'upgrade',
    '--install',
    spec.release,
    chartPath,
    '--namespace',
    spec.namespace,
    // Only when missing: Helm creates it unconditionally, which needs `create namespaces`
    // even when the namespace exists.
    ...(options.createNamespace ? ['--create-namespace'] : []),
    ...setJsonArgs(spec.values),
    '--wait',
    '--timeout',
    `${options.timeoutSeconds}s`,
  ];
}

/** Removes the release and waits for its objects to go. CRDs from the chart's crds/ stay: Helm never deletes them. */
export function uninstallArgs(spec: ChartSpec, timeoutSeconds: number): string[] {
  return [
    'uninstall',
    spec.release,
    '--namespace',
    spec.namespace,
    '--wait',
    '--timeout',
    `${timeoutSeconds}s`,
  ];
}

export function getManifestArgs(spec: ChartSpec): string[] {
  return ['get', 'manifest', spec.release, '--namespace', spec.namespace];
}

/** The install as commands to paste into a shell, with the same chart, version and values. */
export function manualCommands(spec: ChartSpec, mirror?: string): string[] {
  const install = (chart: string, withVersion: boolean) =>
    [
      'helm install',
      shellQuote(spec.release),
      shellQuote(chart),
      `--namespace ${shellQuote(spec.namespace)}`,
      '--create-namespace',
      ...(withVersion ? [`--version ${shellQuote(spec.version)}`] : []),
      ...Object.entries(spec.values).map(
        ([path, value]) => `--set-json ${shellQuote(`${path}=${JSON.stringify(value)}`)}`,
      ),
    ].join(' ');
  if (mirror)
    return [
      `helm repo add ${MIRROR_REPO_NAME} ${shellQuote(mirror)}`,
      'helm repo update',
      install(`${MIRROR_REPO_NAME}/${chartName(spec)}`, true),
    ];
  const repoLines = spec.repository
    ? [
        `helm repo add ${shellQuote(spec.repository.name)} ${shellQuote(spec.repository.url)}`,
        'helm repo update',
      ]
    : [];
  return [...repoLines, install(spec.chart, !URL_CHART.test(spec.chart))];
}

/** Quotes a word for a POSIX shell unless it needs none. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
