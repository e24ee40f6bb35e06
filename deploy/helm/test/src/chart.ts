// What the chart's tests share: where things are, the real helm binary (built by
// @airunway/testenv), and the chart rendered into plain objects.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinaries, repoRoot } from '@airunway/testenv';
import { parseAllDocuments } from 'yaml';

export const chartDir = join(repoRoot, 'deploy', 'helm', 'airunway');

/**
 * Files the chart carries as byte copies of their source, because Helm reads only files inside
 * the chart: `npm run generate` refreshes them, drift.test.ts fails when they differ.
 */
export const GENERATED_COPIES: readonly { readonly source: string; readonly copy: string }[] = [
  {
    source: join(repoRoot, 'deploy', 'crds', 'airunway.ai_modeldeployments.yaml'),
    copy: join(chartDir, 'files', 'crds', 'airunway.ai_modeldeployments.yaml'),
  },
  {
    source: join(repoRoot, 'apps', 'operator', 'runtime.json'),
    copy: join(chartDir, 'files', 'operator-runtime.json'),
  },
];

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program with an argument array (no shell); never throws for a non-zero exit. */
export function run(
  command: string,
  args: readonly string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

// Helm keeps caches and repository settings under $HOME by default; tests use a directory of
// their own so they neither read nor change the developer's.
const helmHome = mkdtempSync(join(tmpdir(), 'airunway-helm-'));
const helmEnv: NodeJS.ProcessEnv = {
  ...process.env,
  HELM_CACHE_HOME: join(helmHome, 'cache'),
  HELM_CONFIG_HOME: join(helmHome, 'config'),
  HELM_DATA_HOME: join(helmHome, 'data'),
};

/** Runs the real helm binary. */
export async function helm(
  args: readonly string[],
  options: { kubeconfig?: string } = {},
): Promise<RunResult> {
  const binDir = await ensureBinaries();
  const kube = options.kubeconfig ? [`--kubeconfig=${options.kubeconfig}`] : [];
  return run(join(binDir, 'helm'), [...args, ...kube], { env: helmEnv });
}

/** Like helm(), but throws with stderr on a non-zero exit and returns stdout. */
export async function helmOk(
  args: readonly string[],
  options: { kubeconfig?: string } = {},
): Promise<string> {
  const res = await helm(args, options);
  if (res.code !== 0) throw new Error(`helm ${args.join(' ')} failed (${res.code}): ${res.stderr.trim()}`);
  return res.stdout;
}

/** Writes values to a file for `helm -f` (JSON is YAML). */
export function valuesFile(values: object): string {
  const path = join(helmHome, `values-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, JSON.stringify(values));
  return path;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: any;
}

export interface RenderOptions {
  readonly release?: string;
  readonly namespace?: string;
}

/** `helm template` of the chart with `values`, as YAML text. */
export async function renderText(values: object = {}, options: RenderOptions = {}): Promise<string> {
  return helmOk([
    'template',
    options.release ?? 'rel',
    chartDir,
    '--namespace',
    options.namespace ?? 'airunway-system',
    '-f',
    valuesFile(values),
  ]);
}

/** `helm template` of the chart with `values`, as objects. */
export async function render(values: object = {}, options: RenderOptions = {}): Promise<K8sObject[]> {
  return parseObjects(await renderText(values, options));
}

export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((obj): obj is K8sObject => obj !== null);
}

/** The one object of `kind` whose name ends with `suffix`; throws unless exactly one matches. */
export function find(objects: readonly K8sObject[], kind: string, suffix = ''): K8sObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name.endsWith(suffix));
  if (found.length !== 1)
    throw new Error(`expected one ${kind} *${suffix}, found ${found.map((o) => o.metadata.name).join(', ')}`);
  return found[0]!;
}

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
}

/** Whether `rules` grant `verb` on `group`/`resource` (any name), as RBAC evaluates them. */
export function allows(rules: readonly PolicyRule[], group: string, resource: string, verb: string): boolean {
  return rules.some(
    (r) =>
      (r.apiGroups ?? []).some((g) => g === group || g === '*') &&
      (r.resources ?? []).some((x) => x === resource || x === '*') &&
      r.verbs.some((v) => v === verb || v === '*') &&
      (r.resourceNames ?? []).length === 0,
  );
}
