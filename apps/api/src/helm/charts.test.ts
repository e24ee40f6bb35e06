import { PROVIDER_CATALOGUE, type ProviderInfo } from '@airunway/providers';
import { describe, expect, it } from 'vitest';
import { GPU_OPERATOR_CHART } from '../installation/gpu-operator.js';
import {
  chartName,
  chartSource,
  installArgs,
  manualCommands,
  pullArgs,
  shellQuote,
  type ChartSpec,
} from './charts.js';

function chartOf(info: ProviderInfo): ChartSpec {
  if (!info.install) throw new Error(`${info.id} has no chart`);
  return { displayName: info.displayName, ...info.install };
}

const dynamo = chartOf(PROVIDER_CATALOGUE.dynamo);
const kuberay = chartOf(PROVIDER_CATALOGUE.kuberay);

describe('charts', () => {
  it('names charts from a repository reference or an archive URL', () => {
    expect(chartName(kuberay)).toBe('kuberay-operator');
    expect(chartName(dynamo)).toBe('dynamo-platform');
    expect(chartName(chartOf(PROVIDER_CATALOGUE.kaito))).toBe('workspace');
  });

  it('pulls from the catalogue repository, an archive URL as is, or every chart from one mirror', () => {
    expect(chartSource(kuberay)).toEqual({
      chart: 'kuberay-operator',
      repoUrl: 'https://ray-project.github.io/kuberay-helm/',
      version: '1.7.0',
    });
    expect(chartSource(dynamo)).toEqual({ chart: dynamo.chart });
    expect(chartSource(dynamo, 'http://mirror/charts')).toEqual({
      chart: 'dynamo-platform',
      repoUrl: 'http://mirror/charts',
      version: '1.4.0',
    });
    expect(pullArgs(chartSource(kuberay), '/tmp/x')).toEqual([
      'pull',
      'kuberay-operator',
      '--repo',
      'https://ray-project.github.io/kuberay-helm/',
      '--version',
      '1.7.0',
      '--destination',
      '/tmp/x',
    ]);
  });

  it('installs with values as --set-json, waiting, and creates the namespace only when missing', () => {
    expect(installArgs(dynamo, '/c.tgz', { timeoutSeconds: 600, createNamespace: true })).toEqual([
      'upgrade',
      '--install',
      'dynamo-platform',
      '/c.tgz',
      '--namespace',
      'dynamo-system',
      '--create-namespace',
      '--set-json',
      'global.grove.install=true',
      '--wait',
      '--timeout',
      '600s',
    ]);
    expect(installArgs(kuberay, '/c.tgz', { timeoutSeconds: 60, createNamespace: false })).not.toContain(
      '--create-namespace',
    );
  });

  it('manual commands as the API reference shows them', () => {
    expect(manualCommands(dynamo)).toEqual([
      'helm repo add nvidia-ai-dynamo https://helm.ngc.nvidia.com/nvidia/ai-dynamo',
      'helm repo update',
      'helm install dynamo-platform https://helm.ngc.nvidia.com/nvidia/ai-dynamo/charts/dynamo-platform-1.4.0.tgz --namespace dynamo-system --create-namespace --set-json global.grove.install=true',
    ]);
    expect(manualCommands(GPU_OPERATOR_CHART)).toEqual([
      'helm repo add nvidia https://helm.ngc.nvidia.com/nvidia',
      'helm repo update',
      'helm install gpu-operator nvidia/gpu-operator --namespace gpu-operator --create-namespace --version v26.7.0',
    ]);
  });

  it('quotes only what a shell would misread', () => {
    expect(shellQuote('global.grove.install=true')).toBe('global.grove.install=true');
    expect(shellQuote('a={"b": 1}')).toBe(`'a={"b": 1}'`);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});
