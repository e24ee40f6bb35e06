// The Ray Serve config of a KubeRay ModelDeployment (RayService spec.serveConfigV2): one
// application running Ray Serve LLM's OpenAI-compatible server (`ray.serve.llm:build_openai_app`)
// with vLLM as its engine.
//
// Ray Serve LLM starts vLLM in-process and takes its settings as keyword arguments of vLLM's
// AsyncEngineArgs (`engine_kwargs`: `max_model_len: 4096`), not as a command line. Rather than
// mapping every engine field of the ModelDeployment a second time, flagsToKwargs reads the flags
// that engineArgs renders for vLLM back as keyword arguments (`--max-model-len 4096` →
// `max_model_len: 4096`). engineArgs stays the one place where engine settings become engine
// options — with its precedence of engine.args over structured fields, its aliases and its
// reserved flags — and a flag added there reaches KubeRay without a change here. vLLM names
// each keyword argument after its flag (dashes become underscores), which is what makes the
// translation mechanical.
import { ENGINE_FLAGS } from '../engine-args.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = Record<string, JsonValue>;

export interface KwargsResult {
  /** Keyword arguments in the order of their flags. */
  readonly kwargs: JsonObject;
  /** Flags with no keyword-argument form (short options other than known aliases). */
  readonly unconvertible: string[];
}

/** Short spellings engineArgs knows for vLLM (`-tp`), by the long flag they stand for. */
const SHORT_ALIASES: ReadonlyMap<string, string> = new Map(
  Object.entries(ENGINE_FLAGS.vllm.aliases ?? {}).flatMap(([long, shorts]) =>
    shorts.map((short) => [short, long] as const),
  ),
);

/**
 * vLLM command-line flags as AsyncEngineArgs keyword arguments:
 * - `--name value` and `--name=value` give `name: value`, with dashes in the name turned into
 *   underscores;
 * - a flag without a value is `true`, and its `--no-` form is `false` (vLLM's boolean flags);
 * - a value is read as JSON when it parses as JSON (`4096`, `0.9`, `true`, `{"a": 1}`,
 *   `"123"` for a string of digits), else taken as a string (`fp8`, `bfloat16`);
 * - several values after one flag make a list;
 * - a flag given twice keeps its last value, as vLLM's parser does.
 */
export function flagsToKwargs(flags: readonly string[]): KwargsResult {
  const kwargs = new Map<string, JsonValue>();
  const unconvertible: string[] = [];
  let index = 0;
  while (index < flags.length) {
    const token = flags[index] ?? '';
    index += 1;
    if (!isFlag(token)) {
      // A value with no flag before it; engineArgs never renders one, and it cannot be placed.
      unconvertible.push(token);
      continue;
    }
    const equals = token.indexOf('=');
    let name = equals === -1 ? token : token.slice(0, equals);
    const values: string[] = equals === -1 ? [] : [token.slice(equals + 1)];
    if (equals === -1) {
      while (index < flags.length && !isFlag(flags[index] ?? '')) values.push(flags[index++] ?? '');
    }
    if (!name.startsWith('--')) {
      const long = SHORT_ALIASES.get(name);
      if (long === undefined) {
        unconvertible.push(token);
        continue;
      }
      name = long;
    }
    let key = name.slice(2).replaceAll('-', '_');
    let value: JsonValue;
    if (values.length === 0 && key.startsWith('no_')) {
      key = key.slice(3);
      value = false;
    } else if (values.length === 0) {
      value = true;
    } else if (values.length === 1) {
      value = jsonOrString(values[0] ?? '');
    } else {
      value = values.map(jsonOrString);
    }
    // Re-inserting moves a repeated flag to where it last appeared, as the engine would see it.
    kwargs.delete(key);
    kwargs.set(key, value);
  }
  return { kwargs: Object.fromEntries(kwargs), unconvertible };
}

function isFlag(token: string): boolean {
  // A negative number is a value, not a flag.
  return token.startsWith('-') && !/^-\.?\d/.test(token);
}

function jsonOrString(value: string): JsonValue {
  try {
    return JSON.parse(value) as JsonValue;
  } catch {
    return value;
  }
}

// ── the config ──────────────────────────────────────────────────────────────────────────

/** Name of the Ray Serve application; KubeRay reports its status under this key. */
export const SERVE_APP_NAME = 'llm';
export const SERVE_IMPORT_PATH = 'ray.serve.llm:build_openai_app';

export interface ServeReplicas {
  readonly initial: number;
  /** Present when Ray Serve autoscales the model between min and max replicas. */
  readonly autoscaling?: {
    readonly min: number;
    readonly max: number;
    readonly targetOngoingRequests?: number | undefined;
  };
}

export interface ServeConfigInput {
  /** The name clients send as "model" (model_loading_config.model_id). */
  readonly servedName: string;
  /** HuggingFace repository or path in the image (model_loading_config.model_source). */
  readonly modelSource: string;
  readonly engineKwargs: JsonObject;
  readonly replicas: ServeReplicas;
}

/** The Ray Serve config: one OpenAI-compatible application at `/` serving one model. */
export function serveConfig(input: ServeConfigInput): JsonObject {
  const { replicas } = input;
  const deploymentConfig: JsonObject =
    replicas.autoscaling === undefined
      ? { num_replicas: replicas.initial }
      : {
          autoscaling_config: withoutUndefined({
            min_replicas: replicas.autoscaling.min,
            initial_replicas: replicas.initial,
            max_replicas: replicas.autoscaling.max,
            target_ongoing_requests: replicas.autoscaling.targetOngoingRequests,
          }),
        };
  const llmConfig: JsonObject = {
    model_loading_config: { model_id: input.servedName, model_source: input.modelSource },
    engine_kwargs: input.engineKwargs,
    deployment_config: deploymentConfig,
  };
  // Ray Serve LLM refuses disable_log_stats while it exports engine metrics (its default).
  if (input.engineKwargs.disable_log_stats === true) llmConfig.log_engine_metrics = false;
  return {
    applications: [
      {
        name: SERVE_APP_NAME,
        route_prefix: '/',
        import_path: SERVE_IMPORT_PATH,
        args: { llm_configs: [llmConfig] },
      },
    ],
  };
}

function withoutUndefined(object: Record<string, JsonValue | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(object)) if (value !== undefined) out[key] = value;
  return out;
}

// ── YAML ────────────────────────────────────────────────────────────────────────────────

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words YAML 1.1 parsers (KubeRay's among them) read as booleans or null, even as keys. */
const YAML11_WORDS = /^(y|n|yes|no|on|off|true|false|null)$/i;

/**
 * `value` as block-style YAML, for people reading the RayService. Every string is written
 * double-quoted (JSON escaping is valid in YAML double-quoted scalars), so no value can be
 * re-read as another type — `"true"`, `"1.10"`, `"null"` and `"no"` stay strings — by YAML 1.2
 * or by the YAML 1.1 parser KubeRay reads serveConfigV2 with. Keys keep
 * their insertion order, so the same config always gives the same text and KubeRay never sees
 * a spurious change.
 */
export function serveConfigYaml(value: JsonValue): string {
  return `${lines(value, 0).join('\n')}\n`;
}

function lines(value: JsonValue, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item) => {
      const itemLines = isCollection(item) && !isEmpty(item) ? lines(item, indent + 2) : [scalar(item)];
      const [first = '', ...rest] = itemLines;
      return [`${pad}- ${first.trimStart()}`, ...rest];
    });
  }
  if (value !== null && typeof value === 'object') {
    if (Object.keys(value).length === 0) return [`${pad}{}`];
    return Object.entries(value).flatMap(([key, item]) => {
      const name = PLAIN_KEY.test(key) && !YAML11_WORDS.test(key) ? key : JSON.stringify(key);
      if (isCollection(item) && !isEmpty(item)) return [`${pad}${name}:`, ...lines(item, indent + 2)];
      return [`${pad}${name}: ${scalar(item)}`];
    });
  }
  return [`${pad}${scalar(value)}`];
}

function isCollection(value: JsonValue): value is JsonValue[] | JsonObject {
  return value !== null && typeof value === 'object';
}

function isEmpty(value: JsonValue[] | JsonObject): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

function scalar(value: JsonValue): string {
  if (Array.isArray(value)) return '[]';
  if (value !== null && typeof value === 'object') return '{}';
  // YAML 1.1 reads an exponent as a number only after a decimal point: 1.0e-7, not 1e-7.
  if (typeof value === 'number') return String(value).replace(/^(-?\d+)e/, '$1.0e');
  return JSON.stringify(value);
}
