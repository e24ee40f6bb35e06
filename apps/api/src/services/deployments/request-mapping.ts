// The create body (the dashboard's vocabulary) onto a ModelDeployment spec, as the API
// reference documents it: modelId → model.id, engine → engine.type, replicas →
// scaling.replicas, imageRef → engine.image for provider vllm else the legacy image, … The same
// mapping applies a PATCH to the stored spec. What comes out is the spec a user would write
// in YAML (no defaults filled in), so REST and kubectl store the same object.
import type { CreateDeploymentInput, FieldError, UpdateDeploymentInput } from '@airunway/schema';

type Json = Record<string, unknown>;
type Fields = Omit<CreateDeploymentInput, 'name' | 'namespace'>;
/** A field of the body: a value sets it, null removes it, undefined leaves it. */
type Patch = { [K in keyof Fields]?: Fields[K] | null };

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function child(obj: Json, key: string): Json {
  const existing = obj[key];
  if (isObject(existing)) return existing;
  const created: Json = {};
  obj[key] = created;
  return created;
}

/** Sets (or, for undefined, removes) obj.a.b.c; emptied parents are removed. */
function setPath(obj: Json, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    if (value === undefined) Reflect.deleteProperty(obj, head);
    else obj[head] = value;
    return;
  }
  if (value === undefined && !isObject(obj[head])) return;
  const next = child(obj, head);
  setPath(next, rest, value);
  if (Object.keys(next).length === 0) Reflect.deleteProperty(obj, head);
}

function getPath(obj: Json, path: readonly string[]): unknown {
  let current: unknown = obj;
  for (const key of path) current = isObject(current) ? current[key] : undefined;
  return current;
}

/** engine.args values are strings; true is a flag without a value, false leaves the flag out. */
function engineArgs(args: Readonly<Record<string, string | number | boolean>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(args)) {
    if (value === false) continue;
    out[key] = value === true ? '' : String(value);
  }
  return out;
}

function worker(
  current: unknown,
  request: NonNullable<Fields['prefill']> | undefined,
  defaults: boolean,
): Json {
  const base: Json = isObject(current) ? structuredClone(current) : {};
  if (defaults) {
    base.replicas ??= 1;
    if (!isObject(base.gpu)) base.gpu = { count: 1 };
  }
  if (request?.replicas !== undefined) base.replicas = request.replicas;
  if (request?.gpu !== undefined) base.gpu = { ...(isObject(base.gpu) ? base.gpu : {}), count: request.gpu };
  if (request?.memory !== undefined) base.memory = request.memory;
  return base;
}

/**
 * Applies `patch` to `spec` (changed in place). `creating` fills what the API reference's
 * body implies: one GPU per replica unless computeType is cpu, one prefill and one decode
 * worker with one GPU each in disaggregated mode.
 */
export function applyFields(spec: Json, patch: Patch, creating: boolean): void {
  const set = (path: string, value: unknown) => {
    setPath(spec, path.split('.'), value === null ? undefined : value);
  };
  const given = (key: keyof Patch): boolean => patch[key] !== undefined;

  if (given('modelId')) set('model.id', patch.modelId);
  if (given('modelSource')) set('model.source', patch.modelSource);
  if (given('servedModelName')) set('model.servedName', patch.servedModelName);
  if (given('provider')) set('provider.name', patch.provider);
  if (given('engine')) set('engine.type', patch.engine);
  if (given('providerOverrides')) set('provider.overrides', patch.providerOverrides);
  if (given('routerMode'))
    set('provider.overrides.routerMode', patch.routerMode === 'default' ? null : patch.routerMode);

  if (given('hfTokenSecret')) set('secrets.huggingFaceToken', patch.hfTokenSecret);
  if (given('contextLength')) set('engine.contextLength', patch.contextLength);
  if (given('enforceEager')) set('engine.enforceEager', patch.enforceEager);
  if (given('enablePrefixCaching')) set('engine.enablePrefixCaching', patch.enablePrefixCaching);
  if (given('trustRemoteCode')) set('engine.trustRemoteCode', patch.trustRemoteCode);
  if (given('engineArgs')) set('engine.args', patch.engineArgs ? engineArgs(patch.engineArgs) : null);
  if (given('engineExtraArgs')) set('engine.extraArgs', patch.engineExtraArgs);
  if (given('imageRef')) {
    // Documented: provider vllm reads engine.image; the others the legacy top-level image.
    const provider = getPath(spec, ['provider', 'name']);
    const path = provider === 'vllm' ? 'engine.image' : 'image';
    set(path === 'image' ? 'engine.image' : 'image', null);
    set(path, patch.imageRef);
  }
  if (given('env'))
    set('env', patch.env ? Object.entries(patch.env).map(([name, value]) => ({ name, value })) : null);
  if (given('gatewayEnabled')) set('gateway.enabled', patch.gatewayEnabled);
  if (given('gatewayModelName')) set('gateway.modelName', patch.gatewayModelName);
  if (given('nodeSelector')) set('nodeSelector', patch.nodeSelector);
  if (given('tolerations')) set('tolerations', patch.tolerations);

  if (given('resources') && patch.resources === null) set('resources', null);
  const resources = patch.resources ?? undefined;
  if (resources?.gpuType !== undefined) set('resources.gpu.type', resources.gpuType);
  if (resources?.memory !== undefined) set('resources.memory', resources.memory);
  if (resources?.cpu !== undefined) set('resources.cpu', resources.cpu);

  if (given('mode')) set('serving.mode', patch.mode);
  const disaggregated = getPath(spec, ['serving', 'mode']) === 'disaggregated';
  if (disaggregated) {
    // Disaggregated workers carry their own GPUs; replicas and resources.gpu must go.
    const switching = creating || given('mode');
    if (switching || given('prefill'))
      set(
        'scaling.prefill',
        worker(getPath(spec, ['scaling', 'prefill']), patch.prefill ?? undefined, switching),
      );
    if (switching || given('decode'))
      set(
        'scaling.decode',
        worker(getPath(spec, ['scaling', 'decode']), patch.decode ?? undefined, switching),
      );
    if (switching) {
      set('scaling.replicas', null);
      set('resources.gpu.count', null);
    }
    if (given('replicas')) set('scaling.replicas', patch.replicas);
    return;
  }
  if (given('mode') && !creating) {
    set('scaling.prefill', null);
    set('scaling.decode', null);
    if (getPath(spec, ['scaling', 'replicas']) === undefined) set('scaling.replicas', patch.replicas ?? 1);
  }
  if (given('replicas')) set('scaling.replicas', patch.replicas);
  // Only valid in disaggregated mode: the schema says so, next to the field.
  if (given('prefill'))
    set('scaling.prefill', patch.prefill ? worker(undefined, patch.prefill, false) : null);
  if (given('decode')) set('scaling.decode', patch.decode ? worker(undefined, patch.decode, false) : null);
  const currentGpus = getPath(spec, ['resources', 'gpu', 'count']);
  let gpus: number | undefined;
  if (resources?.gpu !== undefined) gpus = resources.gpu;
  else if (patch.computeType === 'cpu') gpus = 0;
  else if (patch.computeType === 'gpu' && !currentGpus) gpus = 1;
  else if (creating || (given('mode') && currentGpus === undefined)) gpus = 1;
  if (gpus !== undefined) set('resources.gpu.count', gpus);
}

/** The spec of a new ModelDeployment from the create body. */
export function specFromCreate(body: CreateDeploymentInput): Json {
  const { name: _name, namespace: _namespace, ...fields } = body;
  const spec: Json = {};
  applyFields(spec, fields, true);
  return spec;
}

/** A copy of `current` with a PATCH body applied. */
export function specWithUpdate(current: Json, body: UpdateDeploymentInput): Json {
  const spec = structuredClone(current);
  applyFields(spec, body, false);
  return spec;
}

// ── error paths, back in the body's words ───────────────────────────────────────────────

/** Spec paths and the body field a user sets them with; more specific paths first. */
const BODY_FIELD_OF: readonly (readonly [string, string])[] = [
  ['metadata.name', 'name'],
  ['metadata.namespace', 'namespace'],
  ['spec.model.id', 'modelId'],
  ['spec.model.source', 'modelSource'],
  ['spec.model.servedName', 'servedModelName'],
  ['spec.provider.name', 'provider'],
  ['spec.provider.overrides.routerMode', 'routerMode'],
  ['spec.provider.overrides', 'providerOverrides'],
  ['spec.engine.type', 'engine'],
  ['spec.engine.image', 'imageRef'],
  ['spec.image', 'imageRef'],
  ['spec.engine.args', 'engineArgs'],
  ['spec.engine.extraArgs', 'engineExtraArgs'],
  ['spec.engine.contextLength', 'contextLength'],
  ['spec.engine.trustRemoteCode', 'trustRemoteCode'],
  ['spec.engine.enforceEager', 'enforceEager'],
  ['spec.engine.enablePrefixCaching', 'enablePrefixCaching'],
  ['spec.serving.mode', 'mode'],
  ['spec.scaling.replicas', 'replicas'],
  ['spec.scaling.prefill.gpu.count', 'prefill.gpu'],
  ['spec.scaling.decode.gpu.count', 'decode.gpu'],
  ['spec.scaling.prefill', 'prefill'],
  ['spec.scaling.decode', 'decode'],
  ['spec.resources.gpu.count', 'resources.gpu'],
  ['spec.resources.gpu.type', 'resources.gpuType'],
  ['spec.resources.gpu', 'resources.gpu'],
  ['spec.resources.memory', 'resources.memory'],
  ['spec.resources.cpu', 'resources.cpu'],
  ['spec.secrets.huggingFaceToken', 'hfTokenSecret'],
  ['spec.env', 'env'],
  ['spec.gateway.enabled', 'gatewayEnabled'],
  ['spec.gateway.modelName', 'gatewayModelName'],
  ['spec.nodeSelector', 'nodeSelector'],
  ['spec.tolerations', 'tolerations'],
];

/** `spec.scaling.replicas` → `replicas`; paths the body cannot set stay as they are. */
export function bodyPath(specPath: string): string {
  for (const [prefix, field] of BODY_FIELD_OF) {
    if (specPath === prefix) return field;
    const next = specPath.charAt(prefix.length);
    if (specPath.startsWith(prefix) && (next === '.' || next === '['))
      return field + specPath.slice(prefix.length);
  }
  return specPath;
}

export function inBodyTerms(errors: readonly FieldError[]): FieldError[] {
  return errors.map((e) => ({ ...e, path: bodyPath(e.path) }));
}
