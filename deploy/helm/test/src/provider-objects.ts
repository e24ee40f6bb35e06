// What the operator applies, rendered by the product's own provider functions for a spread of
// ModelDeployments: every provider, aggregated and disaggregated, GPU and CPU, with gateway
// routing. The RBAC tests check the operator's rights against these objects rather than
// against a list kept by hand, so a provider that starts rendering a new kind or a Role with
// new rights fails the chart's tests until the chart grants it.
import {
  PROVIDER_CATALOGUE,
  PROVIDER_IMPLEMENTATIONS,
  gatewayObjects,
  select,
  usableProviders,
  type KubernetesObject,
} from '@airunway/providers';
import { PROVIDER_NAMES, parseModelDeployment, type ModelDeployment } from '@airunway/schema';

const SPECS: readonly { readonly name: string; readonly spec: Record<string, unknown> }[] = [
  { name: 'gpu', spec: { model: { id: 'Qwen/Qwen3-0.6B' }, resources: { gpu: { count: 1 } } } },
  {
    name: 'cpu',
    spec: {
      model: { id: 'Qwen/Qwen3-0.6B' },
      resources: { gpu: { count: 0 }, cpu: '4', memory: '16Gi' },
      image: 'ghcr.io/example/qwen-cpu:1.0',
    },
  },
  {
    name: 'pd',
    spec: {
      model: { id: 'Qwen/Qwen3-0.6B' },
      serving: { mode: 'disaggregated' },
      scaling: {
        prefill: { replicas: 1, gpu: { count: 1 }, memory: '32Gi' },
        decode: { replicas: 1, gpu: { count: 1 }, memory: '32Gi' },
      },
    },
  },
];

/** Every provider installed and running: nothing is ruled out for lack of a CRD. */
const EVERYTHING_USABLE = usableProviders({
  establishedCrds: PROVIDER_NAMES.flatMap((p) => PROVIDER_CATALOGUE[p].detection.crds),
  readyOperators: [...PROVIDER_NAMES],
});

export interface RenderedCase {
  readonly provider: string;
  readonly md: ModelDeployment;
  readonly objects: readonly KubernetesObject[];
}

/** Objects of each provider for each spec it can serve, plus its gateway routing objects. */
export function renderedProviderObjects(namespace: string): RenderedCase[] {
  const cases: RenderedCase[] = [];
  for (const provider of PROVIDER_NAMES) {
    for (const { name, spec } of SPECS) {
      const parsed = parseModelDeployment({
        apiVersion: 'airunway.ai/v1alpha1',
        kind: 'ModelDeployment',
        metadata: { name: `${provider}-${name}`, namespace },
        spec: { ...spec, provider: { name: provider }, gateway: { modelName: 'alias' } },
      });
      if (!parsed.success) continue; // a spec this provider's schema rules refuse
      const md = parsed.data;
      const selection = select(md.spec, EVERYTHING_USABLE);
      if (!selection.ok) continue; // a spec this provider cannot serve
      const rendered = PROVIDER_IMPLEMENTATIONS[provider].render(md, { engine: selection.engine });
      if (!rendered.ok) continue;
      const backend = PROVIDER_IMPLEMENTATIONS[provider].gatewayBackend?.(md);
      const routing = gatewayObjects(md, {
        gateway: { namespace, name: 'inference' },
        modelService: { name: md.metadata.name, port: backend?.targetPort ?? 8000 },
        ...(backend ? { poolSelector: backend.selector } : {}),
        poolManagedByProvider: provider === 'llmd',
      });
      cases.push({ provider, md, objects: [...rendered.objects, ...routing] });
    }
  }
  return cases;
}
