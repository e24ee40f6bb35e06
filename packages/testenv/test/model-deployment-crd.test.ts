// The generated ModelDeployment CRD on a real kube-apiserver: every documented example
// applies, defaults are filled in, the CEL rules reject bad specs with their messages,
// and kubectl shows useful columns and explanations.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  argsNotRepeatedInExtraArgs,
  disaggregatedRequiresPrefill,
  engineArgNames,
  imageMatchesEngineImage,
  modelIdRequired,
  nameIsServiceName,
  noResourcesGpuWhenDisaggregated,
  replicasExcludesPrefillDecode,
  trustRemoteCodeNeedsCapableEngine,
} from '@airunway/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../src/paths.js';
import { testCluster, uniqueNamespace } from '../src/vitest.js';

const cluster = testCluster();
const ns = uniqueNamespace('crd');
const examplesDir = join(repoRoot, 'packages', 'schema', 'src', 'examples');

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: Record<string, unknown>;
}

async function example(name: string): Promise<Manifest> {
  return parse(await readFile(join(examplesDir, `${name}.yaml`), 'utf8')) as Manifest;
}

/** qwen-demo with `spec` patched by `change`. */
async function variant(name: string, change: (spec: Record<string, any>) => void): Promise<Manifest> {
  const md = await example('qwen-demo');
  md.metadata = { name, namespace: ns };
  change(md.spec);
  return md;
}

async function applyManifest(md: Manifest) {
  return cluster.kubectl(['apply', '--server-side', '-n', ns, '-f', '-'], { input: JSON.stringify(md) });
}

beforeAll(async () => {
  await cluster.createNamespace(ns);
});

describe('documented examples', async () => {
  const names = (await readdir(examplesDir))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''));

  it('covers every example of the API reference', () => {
    expect(names.sort()).toEqual(['gemma-cpu', 'llama-70b-pd', 'llama-8b', 'qwen-demo']);
  });

  it.each(names)('%s applies with kubectl apply --server-side', async (name) => {
    const md = await example(name);
    delete md.metadata.namespace; // qwen-demo names `default`; every test works in its own namespace
    const res = await applyManifest(md);
    expect(res.stderr).toBe('');
    expect(res.stdout).toContain(`modeldeployment.airunway.ai/${name} serverside-applied`);
  });
});

describe('defaults', () => {
  it('are filled in by the apiserver', async () => {
    const md: Manifest = {
      apiVersion: 'airunway.ai/v1alpha1',
      kind: 'ModelDeployment',
      metadata: { name: 'minimal', namespace: ns },
      spec: { model: { id: 'Qwen/Qwen3-0.6B' } },
    };
    const res = await applyManifest(md);
    expect(res.code, res.stderr).toBe(0);
    const stored = JSON.parse(await cluster.kubectlOk(['get', 'md', 'minimal', '-n', ns, '-o', 'json'])) as {
      spec: Record<string, any>;
    };
    expect(stored.spec.model.source).toBe('huggingface');
    expect(stored.spec.serving.mode).toBe('aggregated');
    expect(stored.spec.resources.gpu).toEqual({ count: 0, type: 'nvidia.com/gpu' });
    expect(stored.spec.engine.enablePrefixCaching).toBe(true);
    expect(stored.spec.engine.enforceEager).toBe(false);
    expect(stored.spec.engine.trustRemoteCode).toBe(false);
  });
});

describe('validation rules', () => {
  const cases: [name: string, change: (spec: Record<string, any>) => void, path: string, message: string][] =
    [
      ['no-model-id', (s) => (s.model = { source: 'huggingface' }), 'spec.model.id', modelIdRequired.message],
      [
        'pd-no-prefill',
        (s) => {
          s.serving = { mode: 'disaggregated' };
          s.resources = undefined;
          s.scaling = { decode: { replicas: 1, gpu: { count: 1 } } };
        },
        'spec.scaling.prefill',
        disaggregatedRequiresPrefill.message,
      ],
      [
        'pd-with-gpu',
        (s) => {
          s.serving = { mode: 'disaggregated' };
          s.scaling = { prefill: { gpu: { count: 1 } }, decode: { gpu: { count: 1 } } };
        },
        'spec.resources.gpu.count',
        noResourcesGpuWhenDisaggregated.message,
      ],
      [
        'pd-with-replicas',
        (s) => {
          s.serving = { mode: 'disaggregated' };
          s.resources = undefined;
          s.scaling = { replicas: 2, prefill: { gpu: { count: 1 } }, decode: { gpu: { count: 1 } } };
        },
        'spec.scaling.replicas',
        replicasExcludesPrefillDecode.message,
      ],
      [
        'remote-code-llamacpp',
        (s) => (s.engine = { type: 'llamacpp', trustRemoteCode: true }),
        'spec.engine.trustRemoteCode',
        trustRemoteCodeNeedsCapableEngine.message,
      ],
      [
        'dashed-arg',
        (s) => (s.engine = { type: 'vllm', args: { '--max-num-seqs': '8' } }),
        'spec.engine.args',
        engineArgNames.message,
      ],
      [
        'arg-twice',
        (s) => (s.engine = { type: 'vllm', args: { 'max-num-seqs': '8' }, extraArgs: ['--max-num-seqs=16'] }),
        'spec.engine.extraArgs',
        argsNotRepeatedInExtraArgs.message,
      ],
      [
        'two-images',
        (s) => {
          s.image = 'vllm/vllm-openai:v0.11.0';
          s.engine = { type: 'vllm', image: 'vllm/vllm-openai:v0.12.0' };
        },
        'spec.image',
        imageMatchesEngineImage.message,
      ],
    ];

  it.each(cases.map(([name, change, path, message]) => ({ name, change, path, message })))(
    '$name is rejected at $path with its message',
    async ({ name, change, path, message }) => {
      const res = await applyManifest(await variant(name, change));
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain(`${path}: `);
      expect(res.stderr).toContain(message);
    },
  );

  it('rejects a name that cannot name a Service', async () => {
    for (const name of ['qwen.demo', `q${'x'.repeat(60)}`]) {
      const res = await applyManifest(await variant(name, () => undefined));
      expect(res.code, name).not.toBe(0);
      expect(res.stderr).toContain(nameIsServiceName.message);
    }
  });

  it('rejects values outside an enum with the allowed values', async () => {
    const res = await applyManifest(await variant('bad-engine', (s) => (s.engine = { type: 'tgi' })));
    expect(res.stderr).toMatch(
      /spec\.engine\.type: Unsupported value: "tgi": supported values: "vllm", "sglang", "trtllm", "llamacpp"/,
    );
  });
});

describe('kubectl', () => {
  it('prints Model, Provider, Engine, Phase, Ready and Age columns', async () => {
    await cluster.kubectlOk(['apply', '--server-side', '-n', ns, '-f', join(examplesDir, 'llama-8b.yaml')]);
    // Only the operator writes status; here a status patch stands in for it.
    await cluster.kubectlOk([
      'patch',
      'md',
      'llama-8b',
      '-n',
      ns,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({
        status: {
          phase: 'Running',
          provider: { name: 'dynamo', selectedReason: 'default → dynamo (GPU inference default)' },
          engine: { type: 'vllm', selectedReason: 'explicit engine selection' },
          replicas: { desired: 1, ready: 1, available: 1 },
        },
      }),
    ]);
    const table = await cluster.kubectlOk(['get', 'modeldeployments', 'llama-8b', '-n', ns]);
    const [header, row] = table
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s{2,}/));
    expect(header?.slice(0, 7)).toEqual(['NAME', 'MODEL', 'PROVIDER', 'ENGINE', 'PHASE', 'READY', 'AGE']);
    expect(row?.slice(0, 6)).toEqual([
      'llama-8b',
      'meta-llama/Llama-3.1-8B-Instruct',
      'dynamo',
      'vllm',
      'Running',
      '1',
    ]);
  });

  it('finds it by short name and category', async () => {
    expect(await cluster.kubectlOk(['get', 'md', '-n', ns, '-o', 'name'])).toContain(
      'modeldeployment.airunway.ai/llama-8b',
    );
    expect(await cluster.kubectlOk(['get', 'airunway', '-n', ns, '-o', 'name'])).toContain(
      'modeldeployment.airunway.ai/llama-8b',
    );
  });

  it('explains fields with the schema descriptions', async () => {
    const crd = parse(
      await readFile(join(repoRoot, 'deploy', 'crds', 'airunway.ai_modeldeployments.yaml'), 'utf8'),
    ) as {
      spec: { versions: { schema: { openAPIV3Schema: any } }[] };
    };
    const engine = crd.spec.versions[0]?.schema.openAPIV3Schema.properties.spec.properties.engine;
    const described = (engine.properties.contextLength.description as string)
      .split(/\s+/)
      .slice(0, 6)
      .join(' ');
    const out = await cluster.kubectlOk(['explain', 'modeldeployment.spec.engine.contextLength']);
    expect(out.replace(/\s+/g, ' ')).toContain(described);
    const spec = await cluster.kubectlOk(['explain', 'modeldeployment.spec']);
    for (const field of [
      'model',
      'engine',
      'provider',
      'serving',
      'scaling',
      'resources',
      'tolerations',
      'gateway',
    ]) {
      expect(spec).toMatch(new RegExp(`^\\s+${field}\\s`, 'm'));
    }
  });
});
