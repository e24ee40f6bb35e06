// Installing and uninstalling one pinned chart as the caller. Before anything is written the
// chart is pulled once into a private directory and rendered, and the caller's permissions
// for every object in it are reviewed; the same archive is then installed, so what was
// reviewed is what runs. Helm gets a kubeconfig of the caller's own credentials.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Resources, type KubeClient, type KubeObject } from '@airunway/kube';
import type { Caller, ResourceAttributes } from '../auth/caller.js';
import { ApiError } from '../errors.js';
import {
  chartSource,
  getManifestArgs,
  installArgs,
  pullArgs,
  templateArgs,
  uninstallArgs,
  type ChartSpec,
} from '../helm/charts.js';
import { writeTempKubeconfig } from '../helm/kubeconfig.js';
import { manifestHeads } from '../helm/manifest.js';
import { lastLine, type HelmResult, type HelmRunner } from '../helm/runner.js';
import type { StepLog } from './operation.js';
import { accessFor, authorizeAll } from './permissions.js';

export interface ChartReleasesOptions {
  readonly helm: HelmRunner;
  /** The API's own client: discovery of kinds, and whether a namespace exists. */
  readonly client: KubeClient;
  readonly mirror: string | undefined;
  readonly timeoutSeconds: number;
}

/** A pulled, rendered and authorized chart, ready to install. */
export interface PreparedInstall {
  readonly chartPath: string;
  readonly createNamespace: boolean;
  dispose(): Promise<void>;
}

/** The release's objects, or undefined when the release does not exist. */
export interface PreparedUninstall {
  readonly objects: readonly KubeObject[] | undefined;
}

const secrets = (verb: string, namespace: string): ResourceAttributes => ({
  verb,
  resource: 'secrets',
  namespace,
});

/** A failed Helm run as an API error: RBAC refusals and release conflicts keep their meaning. */
export function helmFailure(action: string, result: HelmResult): ApiError {
  const line = lastLine(result.stderr) || lastLine(result.transcript) || `exit code ${String(result.code)}`;
  const message = `${action} failed: ${line.replace(/^Error:\s*/, '')}`;
  if (result.timedOut) return new ApiError('INSTALL_FAILED', message, { timedOut: true });
  if (/\bforbidden\b/i.test(result.stderr))
    return new ApiError('FORBIDDEN', message, { reason: 'Forbidden' });
  if (
    /cannot re-use a name that is still in use|invalid ownership metadata|another operation \(install\/upgrade\/rollback\) is in progress/.test(
      result.stderr,
    )
  )
    return new ApiError('CONFLICT', message);
  return new ApiError('INSTALL_FAILED', message);
}

export class ChartReleases {
  constructor(private readonly options: ChartReleasesOptions) {}

  private async runAsCaller(
    caller: Caller,
    args: string[],
    onLine?: (line: string) => void,
    timeoutSeconds?: number,
  ): Promise<HelmResult> {
    const { helm, client } = this.options;
    const kubeconfig = await writeTempKubeconfig(await helm.workDir(), client.connection, caller.token?.());
    try {
      return await helm.run({
        args,
        kubeconfig: kubeconfig.path,
        secrets: kubeconfig.secrets,
        ...(onLine ? { onLine } : {}),
        // Helm's own --timeout bounds the wait; this bounds Helm.
        ...(timeoutSeconds !== undefined ? { timeoutMs: (timeoutSeconds + 60) * 1000 } : {}),
      });
    } finally {
      await kubeconfig.dispose();
    }
  }

  /** Pulls and renders the chart, then checks the caller may create everything in it. */
  async prepareInstall(caller: Caller, spec: ChartSpec, purpose: string): Promise<PreparedInstall> {
    const { helm, client, mirror } = this.options;
    // The release lives in Secrets of its namespace: without that nothing else matters, and
    // the chart need not even be downloaded.
    await authorizeAll(caller, [secrets('create', spec.namespace)], purpose);

    const dir = await mkdtemp(join(await helm.workDir(), 'chart-'));
    const dispose = () => rm(dir, { recursive: true, force: true });
    try {
      const source = chartSource(spec, mirror);
      const where = source.repoUrl ? ` from ${source.repoUrl}` : '';
      const pulled = await helm.run({ args: pullArgs(source, dir), timeoutMs: 120_000 });
      if (pulled.code !== 0)
        throw helmFailure(`Downloading chart ${source.chart} ${source.version ?? ''}${where}`.trim(), pulled);
      const archive = (await readdir(dir)).find((f) => f.endsWith('.tgz'));
      if (!archive)
        throw new ApiError('INSTALL_FAILED', `helm pull left no chart archive for ${source.chart}`);
      const chartPath = join(dir, archive);

      const rendered = await helm.run({ args: templateArgs(spec, chartPath), timeoutMs: 60_000 });
      if (rendered.code !== 0) throw helmFailure(`Rendering chart ${source.chart}`, rendered);
      const objects = manifestHeads(rendered.stdout);

      const createNamespace = (await client.tryGet(Resources.Namespace, spec.namespace)) === undefined;
      const needed = [
        ...(createNamespace ? [{ verb: 'create', resource: 'namespaces' }] : []),
        ...(await accessFor(client, objects, 'create', spec.namespace)),
        secrets('create', spec.namespace),
        secrets('list', spec.namespace),
      ];
      await authorizeAll(caller, needed, purpose);
      return { chartPath, createNamespace, dispose };
    } catch (err) {
      await dispose();
      throw err;
    }
  }

  async install(log: StepLog, caller: Caller, spec: ChartSpec, prepared: PreparedInstall): Promise<void> {
    const { timeoutSeconds } = this.options;
    await log.step(`Install Helm chart: ${spec.release}`, async (print) => {
      const args = installArgs(spec, prepared.chartPath, {
        timeoutSeconds,
        createNamespace: prepared.createNamespace,
      });
      const result = await this.runAsCaller(caller, args, print, timeoutSeconds);
      if (result.code !== 0) throw helmFailure(`Installing ${spec.displayName}`, result);
    });
  }

  /** Reads the release as the caller and checks they may delete every object of it. */
  async prepareUninstall(caller: Caller, spec: ChartSpec, purpose: string): Promise<PreparedUninstall> {
    const { client } = this.options;
    await authorizeAll(
      caller,
      ['get', 'list', 'delete'].map((verb) => secrets(verb, spec.namespace)),
      purpose,
    );
    const result = await this.runAsCaller(caller, getManifestArgs(spec));
    if (result.code !== 0) {
      if (/release: not found/.test(result.stderr)) return { objects: undefined };
      throw helmFailure(`Reading release ${spec.release}`, result);
    }
    const objects = manifestHeads(result.stdout);
    await authorizeAll(caller, await accessFor(client, objects, 'delete', spec.namespace), purpose);
    return { objects };
  }

  async uninstall(log: StepLog, caller: Caller, spec: ChartSpec, prepared: PreparedUninstall): Promise<void> {
    const { timeoutSeconds } = this.options;
    await log.step(`Uninstall Helm chart: ${spec.release}`, async (print) => {
      if (prepared.objects === undefined) {
        print(`release "${spec.release}" not found in namespace ${spec.namespace}: nothing to uninstall`);
        return;
      }
      const result = await this.runAsCaller(
        caller,
        uninstallArgs(spec, timeoutSeconds),
        print,
        timeoutSeconds,
      );
      if (result.code !== 0) throw helmFailure(`Uninstalling ${spec.displayName}`, result);
    });
  }
}
