// The one place where engine settings of a ModelDeployment become command-line flags. Every
// provider that starts an engine process (Direct vLLM today; llm-d, Dynamo workers and KubeRay's
// engine arguments as they land) uses engineArgs, so a field means the same on every provider.
//
// Order of the result (stable, so rendered objects are byte-identical for the same spec):
//   model, served name, context length, trust remote code, prefix caching, eager mode,
//   tensor parallelism, GPU memory fraction  — from the structured fields, each omitted when
//                                              the user sets the same flag in args/extraArgs;
//   engine.args                              — sorted by name, "--name value" ("--name" alone
//                                              for an empty value);
//   engine.extraArgs                         — verbatim, last.
import type { EngineType, FieldError, ModelDeploymentSpec } from '@airunway/schema';

/** How one engine spells the flags the ModelDeployment API abstracts. */
export interface EngineFlags {
  /** Flag taking model.id; undefined when the provider passes the model its own way. */
  readonly model?: string;
  readonly servedName?: string;
  /** Flag for engine.contextLength; undefined when the engine fixes it at build time. */
  readonly contextLength?: string;
  readonly trustRemoteCode?: string;
  /** Flag for enablePrefixCaching: true; undefined when prefix caching is the engine's default. */
  readonly prefixCachingOn?: string;
  /** Flag for enablePrefixCaching: false; undefined when the engine cannot turn it off. */
  readonly prefixCachingOff?: string;
  /** Flag for enforceEager: true (no CUDA graphs). */
  readonly enforceEager?: string;
  /** Flag setting the tensor-parallel degree, passed when a pod has more than one GPU. */
  readonly tensorParallel?: string;
  /** Fraction of GPU memory the engine may use, with the default AI Runway passes. */
  readonly gpuMemory?: { readonly flag: string; readonly default: string };
  /** Other spellings that set the same thing, e.g. vLLM's `-tp` for `--tensor-parallel-size`. */
  readonly aliases?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The flag table. SGLang has prefix (radix) caching on by default and turns it off with
 * --disable-radix-cache; its counterpart of vLLM's eager mode is --disable-cuda-graph; its
 * tensor-parallel flag is --tp-size (also spelled --tp and --tensor-parallel-size). TensorRT-LLM
 * (as Dynamo runs it) fixes the context length when the engine is built. llama.cpp takes the
 * model the way its runner image wants it (KAITO: a `huggingface://` argument), so the provider
 * adds it.
 */
export const ENGINE_FLAGS: Readonly<Record<EngineType, EngineFlags>> = {
  vllm: {
    model: '--model',
    servedName: '--served-model-name',
    contextLength: '--max-model-len',
    trustRemoteCode: '--trust-remote-code',
    prefixCachingOn: '--enable-prefix-caching',
    prefixCachingOff: '--no-enable-prefix-caching',
    enforceEager: '--enforce-eager',
    tensorParallel: '--tensor-parallel-size',
    gpuMemory: { flag: '--gpu-memory-utilization', default: '0.9' },
    aliases: { '--tensor-parallel-size': ['-tp'] },
  },
  sglang: {
    model: '--model-path',
    servedName: '--served-model-name',
    contextLength: '--context-length',
    trustRemoteCode: '--trust-remote-code',
    prefixCachingOff: '--disable-radix-cache',
    enforceEager: '--disable-cuda-graph',
    tensorParallel: '--tp-size',
    gpuMemory: { flag: '--mem-fraction-static', default: '0.88' },
    aliases: { '--tp-size': ['--tp', '--tensor-parallel-size'], '--model-path': ['--model'] },
  },
  trtllm: {
    model: '--model-path',
    servedName: '--served-model-name',
    tensorParallel: '--tensor-parallel-size',
  },
  llamacpp: {
    contextLength: '--ctx-size',
    aliases: { '--ctx-size': ['-c'] },
  },
};

/** A flag the provider sets itself and the user may not set. */
export interface ReservedFlag {
  /** Without dashes, as an engine.args key: `port`. */
  readonly name: string;
  /** Why, for the error: "Direct vLLM serves on port 8000, which its Service and probes use". */
  readonly why: string;
}

export interface EngineArgsOptions {
  /** GPUs of the pod the engine runs in; defaults to resources.gpu.count. */
  readonly gpuCount?: number;
  /** Flags the provider owns (Direct vLLM: host and port). */
  readonly reservedFlags?: readonly ReservedFlag[];
}

export type EngineArgsResult =
  | { readonly ok: true; readonly args: string[]; readonly notes: string[] }
  | { readonly ok: false; readonly errors: FieldError[] };

/** The last path segment of a model id: "Qwen3-0.6B" for "Qwen/Qwen3-0.6B". */
export function defaultServedName(modelId: string): string {
  const trimmed = modelId.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || trimmed;
}

/** The name clients send as "model": model.servedName, else the basename of model.id. */
export function servedModelName(spec: ModelDeploymentSpec): string | undefined {
  return (
    spec.model.servedName ?? (spec.model.id === undefined ? undefined : defaultServedName(spec.model.id))
  );
}

/**
 * The engine's command-line arguments for `spec`, or field errors when the spec sets a flag the
 * provider reserves. `notes` lists settings that have no effect on this engine, or that
 * engine.args overrides, for the operator to surface.
 */
export function engineArgs(
  spec: ModelDeploymentSpec,
  engine: EngineType,
  options: EngineArgsOptions = {},
): EngineArgsResult {
  const errors = reservedFlagErrors(spec, options.reservedFlags ?? []);
  if (errors.length > 0) return { ok: false, errors };

  const flags = ENGINE_FLAGS[engine];
  const { args: userArgs, extraArgs, contextLength } = spec.engine;
  const gpuCount = options.gpuCount ?? spec.resources.gpu.count;
  const userSets = (flag: string) =>
    [flag, ...(flags.aliases?.[flag] ?? [])].some((spelling) => setsFlag(userArgs, extraArgs, spelling));
  const out: string[] = [];
  const notes: string[] = [];
  const add = (flag: string | undefined, ...values: string[]) => {
    if (flag !== undefined && !userSets(flag)) out.push(flag, ...values);
  };

  const modelId = spec.model.id;
  if (modelId !== undefined) add(flags.model, modelId);
  const served = servedModelName(spec);
  if (served !== undefined) add(flags.servedName, served);

  if (contextLength !== undefined) {
    if (flags.contextLength === undefined) {
      notes.push(
        `engine.contextLength is ignored for ${engine}: the context length is fixed when the engine is built`,
      );
    } else if (userSets(flags.contextLength)) {
      notes.push(`${flags.contextLength} in engine.args or engine.extraArgs overrides engine.contextLength`);
    } else {
      out.push(flags.contextLength, String(contextLength));
    }
  }
  if (spec.engine.trustRemoteCode) {
    if (flags.trustRemoteCode === undefined) notes.push(`engine.trustRemoteCode has no effect on ${engine}`);
    else add(flags.trustRemoteCode);
  }

  const caching = spec.engine.enablePrefixCaching;
  const cachingFlags = [flags.prefixCachingOn, flags.prefixCachingOff].filter((f) => f !== undefined);
  if (!cachingFlags.some(userSets)) {
    if (caching && flags.prefixCachingOn !== undefined) out.push(flags.prefixCachingOn);
    if (!caching && flags.prefixCachingOff !== undefined) out.push(flags.prefixCachingOff);
    if (!caching && flags.prefixCachingOff === undefined) {
      notes.push(`engine.enablePrefixCaching: false has no effect on ${engine}`);
    }
  }
  if (spec.engine.enforceEager) {
    if (flags.enforceEager === undefined) notes.push(`engine.enforceEager has no effect on ${engine}`);
    else add(flags.enforceEager);
  }
  if (gpuCount > 1) add(flags.tensorParallel, String(gpuCount));
  if (gpuCount > 0 && flags.gpuMemory !== undefined) add(flags.gpuMemory.flag, flags.gpuMemory.default);

  for (const name of Object.keys(userArgs).sort(byCodePoint)) {
    const value = userArgs[name] ?? '';
    out.push(`--${name}`);
    if (value !== '') out.push(value);
  }
  out.push(...extraArgs);
  return { ok: true, args: out, notes };
}

/** Field errors for reserved flags set in engine.args or engine.extraArgs. */
export function reservedFlagErrors(
  spec: ModelDeploymentSpec,
  reserved: readonly ReservedFlag[],
): FieldError[] {
  const errors: FieldError[] = [];
  for (const { name, why } of reserved) {
    for (const key of Object.keys(spec.engine.args).sort(byCodePoint)) {
      if (normalizeFlag(key) === normalizeFlag(name)) {
        errors.push({
          path: `spec.engine.args.${key}`,
          message: `engine.args.${key} cannot be set: ${why}; remove it`,
        });
      }
    }
    spec.engine.extraArgs.forEach((arg, index) => {
      if (extraArgSets(arg, `--${name}`)) {
        errors.push({
          path: `spec.engine.extraArgs[${index}]`,
          message: `${JSON.stringify(arg)} cannot be used: ${why}; remove it`,
        });
      }
    });
  }
  return errors;
}

/**
 * Whether engine.args or engine.extraArgs set `flag` (given with its dashes). engine.args keys
 * have no dashes; `_` and `-` are the same (vLLM and SGLang accept both).
 */
export function setsFlag(
  args: Readonly<Record<string, string>>,
  extraArgs: readonly string[],
  flag: string,
): boolean {
  const isLong = flag.startsWith('--');
  const bare = normalizeFlag(flag);
  return (
    (isLong && Object.keys(args).some((key) => normalizeFlag(key) === bare)) ||
    extraArgs.some((arg) => extraArgSets(arg, flag))
  );
}

function extraArgSets(arg: string, flag: string): boolean {
  const name = arg.split('=', 1)[0] ?? '';
  const dashes = /^-+/.exec(name)?.[0] ?? '';
  const flagDashes = /^-+/.exec(flag)?.[0] ?? '';
  return dashes === flagDashes && normalizeFlag(name) === normalizeFlag(flag);
}

function normalizeFlag(flag: string): string {
  return flag.replace(/^-+/, '').replaceAll('_', '-');
}

/** Code-point order: the same on every machine, unlike localeCompare. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
