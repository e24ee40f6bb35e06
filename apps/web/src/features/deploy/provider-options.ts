// What the Deploy screen knows about each provider: the product's provider catalogue
// (@airunway/providers), trimmed on the server to the data the form needs, so the catalogue's
// code never reaches the browser.
import type { EngineType, ProviderName, ServingMode } from '@airunway/schema';

export interface ProviderOption {
  readonly id: ProviderName;
  readonly displayName: string;
  readonly description: string;
  readonly documentationUrl: string;
  readonly engines: readonly {
    readonly engine: EngineType;
    readonly servingModes: readonly ServingMode[];
    readonly gpu: boolean;
    readonly cpu: boolean;
  }[];
}

export interface Compatibility {
  readonly ok: boolean;
  /** Engines of the model this provider can run in the chosen mode and hardware. */
  readonly engines: readonly EngineType[];
  readonly reason?: string;
}

export function compatibility(
  provider: ProviderOption,
  modelEngines: readonly EngineType[],
  mode: ServingMode,
  gpu: boolean,
): Compatibility {
  const shared = provider.engines.filter((e) => modelEngines.includes(e.engine));
  if (shared.length === 0)
    return {
      ok: false,
      engines: [],
      reason: `runs ${provider.engines.map((e) => e.engine).join(', ')}; the model needs ${modelEngines.join(' or ')}`,
    };
  const inMode = shared.filter((e) => e.servingModes.includes(mode));
  if (inMode.length === 0) return { ok: false, engines: [], reason: `no ${mode} serving` };
  const onHardware = inMode.filter((e) => (gpu ? e.gpu : e.cpu));
  if (onHardware.length === 0)
    return { ok: false, engines: [], reason: gpu ? 'CPU only for this model' : 'needs GPUs' };
  return { ok: true, engines: onHardware.map((e) => e.engine) };
}
