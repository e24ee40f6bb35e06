// Engine and provider selection: pure, explainable, and total — every spec either gets a
// provider and an engine with the reason for each, or a failure whose message says what to
// change. No rule is ever skipped silently (the earlier implementation swallowed CEL errors
// and fell back to alphabetical order).
import type { EngineType, ModelDeploymentSpec, ModelDeploymentStatus, ProviderName } from '@airunway/schema';
import { changedIdentityFields, ENGINE_TYPES, PROVIDER_NAMES } from '@airunway/schema';
import {
  checkSupport,
  PROVIDER_CATALOGUE,
  providersSupporting,
  requestsGpu,
  servingRequest,
  supports,
  type ServingRequest,
  type SupportFailureReason,
} from './catalogue.js';
import { orList } from './text.js';
import { describeUnusable, type ProviderUsability } from './usability.js';

export const EXPLICIT_ENGINE_REASON = 'explicit engine selection';
export const EXPLICIT_PROVIDER_REASON = 'explicit provider selection';
export const CPU_ENGINE_REASON = 'no GPU requested → llamacpp (the CPU engine)';
export const GPU_ENGINE_REASON = 'GPU requested → vllm (default GPU engine)';

export type SelectionFailureReason =
  SupportFailureReason | 'ProviderNotInstalled' | 'ProviderNotReady' | 'NoProviderAvailable';

export interface EngineChoice {
  readonly ok: true;
  readonly engine: EngineType;
  readonly engineReason: string;
}

export interface ProviderChoice {
  readonly ok: true;
  readonly provider: ProviderName;
  readonly providerReason: string;
}

export interface SelectionFailure {
  readonly ok: false;
  /** Which choice failed: the operator sets EngineSelected or ProviderSelected to False. */
  readonly stage: 'engine' | 'provider';
  readonly reason: SelectionFailureReason;
  /** What is wrong and what to change, for status.message and the condition message. */
  readonly message: string;
  /**
   * `spec`: only a change to the ModelDeployment fixes it. `cluster`: installing or repairing a
   * provider fixes it, so the operator should select again when providers change.
   */
  readonly cause: 'spec' | 'cluster';
  /** The engine, when engine selection succeeded and provider selection failed. */
  readonly engine?: EngineType;
  readonly engineReason?: string;
}

export interface SelectionSuccess {
  readonly ok: true;
  readonly provider: ProviderName;
  readonly engine: EngineType;
  readonly providerReason: string;
  readonly engineReason: string;
  /** True when the previous choice was kept (see `select` with `previous`). */
  readonly sticky: boolean;
  /** Why a previous choice was dropped and selection ran again, when it was. */
  readonly reselected?: string;
  /** Something worth an event or a condition message, e.g. a kept provider that is not ready. */
  readonly notice?: string;
}

export type Selection = SelectionSuccess | SelectionFailure;

// ── engine ──────────────────────────────────────────────────────────────────────────────

/**
 * Chooses the engine.
 *
 * 1. `spec.engine.type` set → that engine, "explicit engine selection".
 * 2. `provider` known (named in spec) → its most preferred engine (vllm > sglang > trtllm >
 *    llamacpp) that runs in the serving mode on GPU or CPU as requested; a failure if it has
 *    none ("provider dynamo runs vllm only on GPUs; …").
 * 3. Otherwise no GPU requested (aggregated, resources.gpu.count 0) → llamacpp, "no GPU
 *    requested → llamacpp (the CPU engine)"; GPU requested → vllm, "GPU requested → vllm
 *    (default GPU engine)".
 */
export function selectEngine(
  spec: ModelDeploymentSpec,
  provider?: ProviderName,
): EngineChoice | SelectionFailure {
  if (spec.engine.type !== undefined) {
    return { ok: true, engine: spec.engine.type, engineReason: EXPLICIT_ENGINE_REASON };
  }
  const gpu = requestsGpu(spec);
  const mode = spec.serving.mode;
  if (provider === undefined) {
    return gpu
      ? { ok: true, engine: 'vllm', engineReason: GPU_ENGINE_REASON }
      : { ok: true, engine: 'llamacpp', engineReason: CPU_ENGINE_REASON };
  }

  const { engines } = PROVIDER_CATALOGUE[provider].capabilities;
  const fitting = ENGINE_TYPES.filter((engine) => supports(provider, { engine, mode, gpu }));
  const engine = fitting[0];
  if (engine === undefined) {
    // Name the first obstacle: the mode if no engine of the provider has it, else GPU/CPU.
    const inMode = engines.find((c) => c.servingModes.includes(mode)) ?? engines[0];
    const failure = inMode && checkSupport(provider, { engine: inMode.engine, mode, gpu });
    return {
      ok: false,
      stage: 'engine',
      reason: failure?.reason ?? 'EngineNotSupported',
      message: failure?.message ?? `provider ${provider} has no engine for this spec`,
      cause: 'spec',
    };
  }
  if (!gpu) {
    const cpuEngines = engines.filter((c) => c.cpu).map((c) => c.engine);
    const why =
      cpuEngines.length === 1
        ? `the only engine provider ${provider} runs on CPU`
        : `the preferred engine provider ${provider} runs on CPU`;
    return { ok: true, engine, engineReason: `no GPU requested → ${engine} (${why})` };
  }
  if (engine === 'vllm') return { ok: true, engine, engineReason: GPU_ENGINE_REASON };
  return {
    ok: true,
    engine,
    engineReason: `GPU requested → ${engine} (the preferred engine provider ${provider} runs in ${mode} mode)`,
  };
}

// ── provider ────────────────────────────────────────────────────────────────────────────

/**
 * One rule of automatic provider selection. The first rule whose `matches` holds decides;
 * within it the first usable provider of `order` wins. Each provider in `order` supports
 * every request the rule matches (a test checks this for all combinations).
 */
export interface AutoSelectionRule {
  readonly id: string;
  /** When the rule applies, for the docs. */
  readonly when: string;
  readonly matches: (request: ServingRequest) => boolean;
  /** Left side of the reason: "default", "no GPU requested", "sglang", … */
  readonly label: (request: ServingRequest) => string;
  /** Providers to try, best first. */
  readonly order: readonly ProviderName[];
  /** Why the first provider is the default, in the reason's parentheses. */
  readonly why: (request: ServingRequest) => string;
  /** Another way out when none of `order` is usable, appended to the failure message. */
  readonly alternative?: string;
}

/**
 * The rules, in the order they are tried. KubeRay, KAITO's vLLM presets and aggregated llm-d
 * are never chosen automatically: KubeRay needs a Ray Serve application in its image, KAITO's
 * vLLM path serves only models of its preset catalogue, and llm-d adds nothing over Direct
 * vLLM without its disaggregated mode. Name them in spec.provider.name to use them.
 */
export const AUTO_SELECTION_RULES: readonly AutoSelectionRule[] = [
  {
    id: 'cpu',
    when: 'no GPU requested (aggregated, resources.gpu.count 0)',
    matches: (r) => !r.gpu,
    label: () => 'no GPU requested',
    order: ['kaito'],
    why: () => 'only CPU provider',
  },
  {
    id: 'llamacpp',
    when: 'engine llamacpp on GPUs',
    matches: (r) => r.engine === 'llamacpp',
    label: () => 'llamacpp',
    order: ['kaito'],
    why: () => 'only llamacpp provider',
  },
  {
    id: 'sglang-trtllm',
    when: 'engine sglang or trtllm (aggregated or disaggregated)',
    matches: (r) => r.engine === 'sglang' || r.engine === 'trtllm',
    label: (r) => r.engine,
    order: ['dynamo'],
    why: (r) => `only ${r.engine} provider`,
  },
  {
    id: 'disaggregated',
    when: 'vllm, disaggregated',
    matches: (r) => r.mode === 'disaggregated',
    label: () => 'disaggregated',
    order: ['dynamo', 'llmd'],
    why: () => 'disaggregated serving default',
    alternative: 'or set serving.mode: aggregated (provider vllm needs nothing installed)',
  },
  {
    id: 'gpu-default',
    when: 'vllm on GPUs, aggregated',
    matches: () => true,
    label: () => 'default',
    order: ['dynamo', 'vllm'],
    why: () => 'GPU inference default',
  },
];

/**
 * Chooses the provider for `engine`.
 *
 * - `spec.provider.name` set → that provider, "explicit provider selection", if it supports
 *   the engine, the serving mode and GPU/CPU (else a `spec` failure saying what to change) and
 *   is usable (else ProviderNotInstalled / ProviderNotReady, a `cluster` failure).
 * - Otherwise the first matching rule of AUTO_SELECTION_RULES: its first usable provider, with
 *   the reason "<label> → <provider> (<why>)" — e.g. "default → dynamo (GPU inference
 *   default)" — or, when earlier providers of the rule are not usable, "<label> → <provider>
 *   (<what is wrong with each skipped one>)", e.g. "default → vllm (dynamo not installed: CRD
 *   dynamographdeployments.nvidia.com not found)". No usable provider → NoProviderAvailable,
 *   naming what to install.
 */
export function selectProvider(
  spec: ModelDeploymentSpec,
  engine: EngineType,
  usability: ProviderUsability,
): ProviderChoice | SelectionFailure {
  const request = servingRequest(spec, engine);
  const explicit = spec.provider?.name;
  const fail = (reason: SelectionFailureReason, message: string, cause: 'spec' | 'cluster') =>
    ({ ok: false, stage: 'provider', reason, message, cause }) as const;

  if (explicit !== undefined) {
    const unsupported = checkSupport(explicit, request);
    if (unsupported) return fail(unsupported.reason, unsupported.message, 'spec');
    const state = usability[explicit];
    if (!state.usable) {
      const others = providersSupporting(request).filter((p) => p !== explicit && usability[p].usable);
      const choose =
        others.length > 0
          ? `choose another provider (${orList(others)} can serve it)`
          : 'choose another provider';
      return state.state === 'not-ready'
        ? fail(
            'ProviderNotReady',
            `provider ${explicit} is not ready: ${state.reason} — check its pods, or ${choose}`,
            'cluster',
          )
        : fail(
            'ProviderNotInstalled',
            `provider ${explicit} is not installed: ${state.reason} — install it (see Runtimes) or ${choose}`,
            'cluster',
          );
    }
    return { ok: true, provider: explicit, providerReason: EXPLICIT_PROVIDER_REASON };
  }

  if (providersSupporting(request).length === 0) {
    return fail(...unservable(request), 'spec');
  }
  const rule = AUTO_SELECTION_RULES.find((r) => r.matches(request));
  if (rule === undefined) {
    // Unreachable while the last rule matches everything; kept so a future edit cannot
    // silently fall through.
    return fail('NoProviderAvailable', `no selection rule covers ${describeRequest(request)}`, 'spec');
  }
  const skipped: string[] = [];
  for (const provider of rule.order) {
    const state = usability[provider];
    if (state.usable) {
      const why = skipped.length === 0 ? rule.why(request) : skipped.join('; ');
      return { ok: true, provider, providerReason: `${rule.label(request)} → ${provider} (${why})` };
    }
    skipped.push(describeUnusable(provider, state));
  }
  const actions = rule.order.map((provider) => {
    const state = usability[provider];
    return `${state.state === 'not-ready' ? 'repair' : 'install'} ${provider} (${state.reason})`;
  });
  return fail(
    'NoProviderAvailable',
    `no installed provider can serve ${describeRequest(request)}: ${actions.join(' or ')}` +
      (rule.alternative ? `, ${rule.alternative}` : ''),
    'cluster',
  );
}

/** Why no provider at all can serve `request`, and what to change. */
function unservable(request: ServingRequest): [SelectionFailureReason, string] {
  const { engine, mode, gpu } = request;
  const inMode = PROVIDER_NAMES.some(
    (p) =>
      PROVIDER_CATALOGUE[p].capabilities.engines
        .find((c) => c.engine === engine)
        ?.servingModes.includes(mode) === true,
  );
  if (!inMode) {
    const engines = ENGINE_TYPES.filter(
      (e) => providersSupporting({ engine: e, mode, gpu: true }).length > 0,
    );
    return [
      'ModeNotSupported',
      `engine ${engine} does not support ${mode} mode; set serving.mode: aggregated, or use engine ${orList(engines)}`,
    ];
  }
  if (!gpu) {
    const cpu = ENGINE_TYPES.flatMap((e) => {
      const providers = providersSupporting({ engine: e, mode, gpu: false });
      return providers.length > 0
        ? [`engine.type: ${e} for CPU inference (provider ${orList(providers)})`]
        : [];
    });
    return [
      'GpuRequired',
      `engine ${engine} needs a GPU: set resources.gpu.count to 1 or more` +
        (cpu.length > 0 ? `, or set ${cpu.join(', or ')}` : ''),
    ];
  }
  return ['EngineNotSupported', `no provider runs engine ${engine} on GPUs in ${mode} mode`];
}

function describeRequest({ engine, mode, gpu }: ServingRequest): string {
  if (!gpu) return `${engine} on CPU`;
  if (mode === 'disaggregated') return `${engine} in disaggregated mode`;
  return engine;
}

// ── both, with sticky choices ───────────────────────────────────────────────────────────

/** A selection made earlier, as the operator recorded it in status. */
export interface PreviousSelection {
  readonly provider?: ProviderName | undefined;
  readonly providerReason?: string | undefined;
  readonly engine?: EngineType | undefined;
  readonly engineReason?: string | undefined;
  /**
   * The spec the previous selection was made for, when the operator has it (e.g. from the
   * last reconcile): a change of an identity field since then drops the previous choice.
   */
  readonly spec?: ModelDeploymentSpec | undefined;
}

/** The previous selection recorded in a ModelDeployment's status. */
export function previousSelectionFrom(
  status: ModelDeploymentStatus | undefined,
  spec?: ModelDeploymentSpec,
): PreviousSelection {
  return {
    provider: status?.provider?.name,
    providerReason: status?.provider?.selectedReason,
    engine: status?.engine?.type,
    engineReason: status?.engine?.selectedReason,
    spec,
  };
}

/**
 * Selects the engine, then the provider.
 *
 * With `previous` (the choice recorded in status), the previous provider and engine are kept
 * — even while the provider is temporarily not usable, so deployments do not flap between
 * providers when an operator restarts — unless:
 * - an identity field changed (model.id, model.source, engine.type once set, provider.name,
 *   serving.mode; compared with `previous.spec` when given), or spec.engine.type /
 *   spec.provider.name now name something other than the previous choice;
 * - or the previous pair cannot serve the spec any more (e.g. resources.gpu.count went to 0
 *   on a GPU-only provider).
 * Then selection runs afresh and `reselected` says why.
 */
export function select(
  spec: ModelDeploymentSpec,
  usability: ProviderUsability,
  previous?: PreviousSelection,
): Selection {
  const dropped = previous && whyDropPrevious(spec, previous);
  if (previous?.provider !== undefined && previous.engine !== undefined && dropped === undefined) {
    const { provider, engine } = previous;
    const engineReason =
      spec.engine.type === engine ? EXPLICIT_ENGINE_REASON : (previous.engineReason ?? 'kept from status');
    const providerReason =
      spec.provider?.name === provider
        ? EXPLICIT_PROVIDER_REASON
        : (previous.providerReason ?? 'kept from status');
    const state = usability[provider];
    return {
      ok: true,
      provider,
      engine,
      engineReason,
      providerReason,
      sticky: true,
      ...(state.usable ? {} : { notice: `provider ${describeUnusable(provider, state)}; keeping it` }),
    };
  }
  const fresh = selectFresh(spec, usability);
  return fresh.ok && dropped !== undefined ? { ...fresh, reselected: dropped } : fresh;
}

function selectFresh(spec: ModelDeploymentSpec, usability: ProviderUsability): Selection {
  const engine = selectEngine(spec, spec.provider?.name);
  if (!engine.ok) return engine;
  const provider = selectProvider(spec, engine.engine, usability);
  if (!provider.ok) return { ...provider, engine: engine.engine, engineReason: engine.engineReason };
  return {
    ok: true,
    provider: provider.provider,
    engine: engine.engine,
    providerReason: provider.providerReason,
    engineReason: engine.engineReason,
    sticky: false,
  };
}

/** Why the previous choice cannot be kept; undefined when it can (or there is none). */
function whyDropPrevious(spec: ModelDeploymentSpec, previous: PreviousSelection): string | undefined {
  const { provider, engine } = previous;
  if (provider === undefined || engine === undefined) return undefined;
  if (previous.spec !== undefined) {
    // Naming the provider or engine that was selected anyway pins it; that is no change.
    const changed = changedIdentityFields(previous.spec, spec).filter(
      (field) =>
        !(field === 'provider.name' && spec.provider?.name === provider) &&
        !(field === 'engine.type' && spec.engine.type === engine),
    );
    if (changed.length > 0) return `identity changed: ${changed.join(', ')}`;
  }
  if (spec.engine.type !== undefined && spec.engine.type !== engine) {
    return `engine.type is now ${spec.engine.type}, previously ${engine}`;
  }
  if (spec.provider?.name !== undefined && spec.provider.name !== provider) {
    return `provider.name is now ${spec.provider.name}, previously ${provider}`;
  }
  const unsupported = checkSupport(provider, servingRequest(spec, engine));
  if (unsupported) return `previous choice ${provider}/${engine} no longer fits: ${unsupported.message}`;
  return undefined;
}
