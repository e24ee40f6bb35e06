// The Deploy screen's form, and its two translations: form → the create request the API takes
// (POST /deployments, the dashboard's vocabulary), and an edited ModelDeployment (the YAML
// preview) → the same request, so a change made in YAML comes back into the form.
import type {
  CreateDeploymentRequest,
  EngineType,
  ModelDeployment,
  ProviderName,
  ServingMode,
} from '@airunway/schema';

export type Choice<T extends string> = T | 'auto';
export type RouterMode = 'default' | 'kv' | 'round-robin';
/**
 * Routing through the inference Gateway: 'auto' leaves spec.gateway.enabled unset, so the
 * operator routes the model whenever the cluster has a Gateway; 'on' and 'off' set it.
 */
export type GatewayRouting = 'auto' | 'on' | 'off';

export interface WorkerForm {
  readonly replicas: number;
  readonly gpus: number;
}

export interface DeployForm {
  readonly name: string;
  readonly namespace: string;
  readonly modelId: string;
  readonly provider: Choice<ProviderName>;
  readonly engine: Choice<EngineType>;
  readonly mode: ServingMode;
  /** Aggregated mode. */
  readonly replicas: number;
  /** GPUs per replica in aggregated mode; 0 runs on CPU. */
  readonly gpus: number;
  readonly prefill: WorkerForm;
  readonly decode: WorkerForm;
  readonly routerMode: RouterMode;
  readonly hfTokenSecret: string;
  /** Empty: what the model declares. */
  readonly contextLength: string;
  readonly enablePrefixCaching: boolean;
  readonly enforceEager: boolean;
  readonly trustRemoteCode: boolean;
  /** One flag per line: `name value`, `name=value`, `--name value` or a bare `name`. */
  readonly engineArgs: string;
  /** One argument per line, passed as is. */
  readonly engineExtraArgs: string;
  readonly imageRef: string;
  readonly servedModelName: string;
  readonly gateway: GatewayRouting;
  /** Empty: the served model name. Not sent while routing is off, where it has no effect. */
  readonly gatewayModelName: string;
  /**
   * Request fields the form has no control for (node selector, tolerations, env, …), kept
   * as they came from an edited YAML so they reach the API unchanged.
   */
  readonly extra: Partial<CreateDeploymentRequest>;
}

/** A ModelDeployment name from a model id: "Qwen/Qwen3-0.6B" → "qwen3-0-6b". */
export function suggestName(modelId: string): string {
  const base = (modelId.split('/').pop() ?? modelId)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return (base || 'model').slice(0, 40).replace(/-+$/, '');
}

export function defaultDeployForm(modelId: string, namespace: string, minGpus = 1): DeployForm {
  return {
    name: suggestName(modelId),
    namespace,
    modelId,
    provider: 'auto',
    engine: 'auto',
    mode: 'aggregated',
    replicas: 1,
    gpus: Math.max(minGpus, 0),
    prefill: { replicas: 1, gpus: 1 },
    decode: { replicas: 1, gpus: 1 },
    routerMode: 'default',
    hfTokenSecret: '',
    contextLength: '',
    enablePrefixCaching: true,
    enforceEager: false,
    trustRemoteCode: false,
    engineArgs: '',
    engineExtraArgs: '',
    imageRef: '',
    servedModelName: '',
    gateway: 'auto',
    gatewayModelName: '',
    extra: {},
  };
}

const ARG_LINE = /^(?:--)?([^\s=]+)(?:[=\s]\s*(.*))?$/;

/** Parses the engine-args text; lines that are not a flag are reported by line number. */
export function parseEngineArgs(text: string): { args: Record<string, string>; badLines: number[] } {
  const args: Record<string, string> = {};
  const badLines: number[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const match = ARG_LINE.exec(line);
    if (!match?.[1]) badLines.push(index + 1);
    else args[match[1]] = (match[2] ?? '').trim();
  });
  return { args, badLines };
}

export function formatEngineArgs(args: Readonly<Record<string, string>>): string {
  return Object.entries(args)
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`))
    .join('\n');
}

/** The name the model server serves, as the operator derives it: the last part of the id by default. */
export function servedNameOf(form: Pick<DeployForm, 'modelId' | 'servedModelName'>): string {
  return form.servedModelName.trim() || (form.modelId.split('/').pop() ?? form.modelId);
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** The create request for the form; settings left at their defaults are left out. */
export function formToRequest(form: DeployForm): CreateDeploymentRequest {
  const request: CreateDeploymentRequest = { ...form.extra, name: form.name.trim(), modelId: form.modelId };
  if (form.namespace.trim()) request.namespace = form.namespace.trim();
  if (form.provider !== 'auto') request.provider = form.provider;
  if (form.engine !== 'auto') request.engine = form.engine;
  if (form.mode === 'disaggregated') {
    request.mode = 'disaggregated';
    request.prefill = { replicas: form.prefill.replicas, gpu: form.prefill.gpus };
    request.decode = { replicas: form.decode.replicas, gpu: form.decode.gpus };
  } else {
    request.replicas = form.replicas;
    if (form.gpus === 0) request.computeType = 'cpu';
    request.resources = { ...form.extra.resources, gpu: form.gpus };
  }
  if (form.routerMode !== 'default') request.routerMode = form.routerMode;
  if (form.hfTokenSecret.trim()) request.hfTokenSecret = form.hfTokenSecret.trim();
  const context = form.contextLength.trim();
  // Not a number → NaN, which the shared schema rejects next to the field.
  if (context) request.contextLength = Number(context);
  if (!form.enablePrefixCaching) request.enablePrefixCaching = false;
  if (form.enforceEager) request.enforceEager = true;
  if (form.trustRemoteCode) request.trustRemoteCode = true;
  const { args } = parseEngineArgs(form.engineArgs);
  if (Object.keys(args).length > 0) request.engineArgs = args;
  const extraArgs = lines(form.engineExtraArgs);
  if (extraArgs.length > 0) request.engineExtraArgs = extraArgs;
  if (form.imageRef.trim()) request.imageRef = form.imageRef.trim();
  if (form.servedModelName.trim()) request.servedModelName = form.servedModelName.trim();
  if (form.gateway !== 'auto') request.gatewayEnabled = form.gateway === 'on';
  if (form.gateway !== 'off' && form.gatewayModelName.trim())
    request.gatewayModelName = form.gatewayModelName.trim();
  return request;
}

/** Paths of the create request → the form control that sets them (for live field errors). */
export function formFieldOf(requestPath: string): keyof DeployForm | 'yaml' {
  const head = requestPath.split(/[.[]/)[0] ?? '';
  switch (head) {
    case 'name':
    case 'namespace':
    case 'modelId':
    case 'provider':
    case 'engine':
    case 'mode':
    case 'replicas':
    case 'routerMode':
    case 'hfTokenSecret':
    case 'contextLength':
    case 'enablePrefixCaching':
    case 'enforceEager':
    case 'trustRemoteCode':
    case 'engineArgs':
    case 'engineExtraArgs':
    case 'imageRef':
    case 'servedModelName':
    case 'prefill':
    case 'decode':
    case 'gatewayModelName':
      return head;
    case 'gatewayEnabled':
      return 'gateway';
    case 'resources':
    case 'computeType':
      return requestPath.startsWith('resources.gpu') || head === 'computeType' ? 'gpus' : 'yaml';
    default:
      return 'yaml';
  }
}

export type YamlToRequest =
  | { readonly ok: true; readonly request: CreateDeploymentRequest; readonly ignored: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The create request that produces `md` (a parsed and validated ModelDeployment). What the
 * request cannot express is listed in `ignored`, so the screen can say it will not be kept.
 */
export function modelDeploymentToRequest(md: ModelDeployment): YamlToRequest {
  const { spec, metadata } = md;
  const ignored: string[] = [];
  if (!metadata.name) return { ok: false, errors: ['metadata.name: Required value'] };
  const request: CreateDeploymentRequest = { name: metadata.name, modelId: spec.model.id ?? '' };
  if (metadata.namespace) request.namespace = metadata.namespace;
  if (spec.model.source !== 'huggingface') request.modelSource = spec.model.source;
  if (spec.model.servedName) request.servedModelName = spec.model.servedName;
  if (spec.provider?.name) request.provider = spec.provider.name;
  const overrides = { ...spec.provider?.overrides };
  if (overrides.routerMode === 'kv' || overrides.routerMode === 'round-robin') {
    request.routerMode = overrides.routerMode;
    delete overrides.routerMode;
  }
  if (Object.keys(overrides).length > 0) request.providerOverrides = overrides;

  const { engine } = spec;
  if (engine.type) request.engine = engine.type;
  const image = engine.image ?? spec.image;
  if (image) request.imageRef = image;
  if (engine.contextLength !== undefined) request.contextLength = engine.contextLength;
  if (engine.trustRemoteCode) request.trustRemoteCode = true;
  if (!engine.enablePrefixCaching) request.enablePrefixCaching = false;
  if (engine.enforceEager) request.enforceEager = true;
  if (Object.keys(engine.args).length > 0) request.engineArgs = { ...engine.args };
  if (engine.extraArgs.length > 0) request.engineExtraArgs = [...engine.extraArgs];

  const resources: NonNullable<CreateDeploymentRequest['resources']> = {};
  if (spec.resources.gpu.type !== 'nvidia.com/gpu') resources.gpuType = spec.resources.gpu.type;
  if (spec.resources.memory !== undefined) resources.memory = String(spec.resources.memory);
  if (spec.resources.cpu !== undefined) resources.cpu = String(spec.resources.cpu);
  if (spec.serving.mode === 'disaggregated') {
    request.mode = 'disaggregated';
    const worker = (w: typeof spec.scaling.prefill) =>
      w
        ? {
            replicas: w.replicas,
            gpu: w.gpu?.count ?? 1,
            ...(w.memory !== undefined ? { memory: String(w.memory) } : {}),
          }
        : undefined;
    const prefill = worker(spec.scaling.prefill);
    const decode = worker(spec.scaling.decode);
    if (prefill) request.prefill = prefill;
    if (decode) request.decode = decode;
  } else {
    request.replicas = spec.scaling.replicas ?? 1;
    resources.gpu = spec.resources.gpu.count;
    if (spec.resources.gpu.count === 0) request.computeType = 'cpu';
  }
  if (Object.keys(resources).length > 0) request.resources = resources;

  if (spec.env) {
    const env: Record<string, string> = {};
    for (const variable of spec.env) {
      if (variable.valueFrom) ignored.push(`spec.env ${variable.name}: valueFrom (only literal values)`);
      else env[variable.name] = variable.value ?? '';
    }
    if (Object.keys(env).length > 0) request.env = env;
  }
  if (spec.secrets?.huggingFaceToken) request.hfTokenSecret = spec.secrets.huggingFaceToken;
  if (spec.nodeSelector) request.nodeSelector = { ...spec.nodeSelector };
  if (spec.tolerations) request.tolerations = [...spec.tolerations];
  if (spec.gateway?.enabled !== undefined) request.gatewayEnabled = spec.gateway.enabled;
  // The form hides the Gateway's model name while routing is off, so it would not be sent.
  if (spec.gateway?.modelName && spec.gateway.enabled === false)
    ignored.push('spec.gateway.modelName (not used while routing is off)');
  else if (spec.gateway?.modelName) request.gatewayModelName = spec.gateway.modelName;
  if (spec.podTemplate) ignored.push('spec.podTemplate');
  if (isRecord(metadata.labels) && Object.keys(metadata.labels).length > 0) ignored.push('metadata.labels');
  if (isRecord(metadata.annotations) && Object.keys(metadata.annotations).length > 0)
    ignored.push('metadata.annotations');
  return { ok: true, request, ignored };
}

const FORM_KEYS = new Set<string>([
  'name',
  'namespace',
  'modelId',
  'provider',
  'engine',
  'mode',
  'replicas',
  'resources',
  'computeType',
  'prefill',
  'decode',
  'routerMode',
  'hfTokenSecret',
  'contextLength',
  'enablePrefixCaching',
  'enforceEager',
  'trustRemoteCode',
  'engineArgs',
  'engineExtraArgs',
  'imageRef',
  'servedModelName',
  'gatewayEnabled',
  'gatewayModelName',
]);

/** The form showing `request`; what the form has no control for goes to `extra`. */
export function requestToForm(request: CreateDeploymentRequest, base: DeployForm): DeployForm {
  const extra: Partial<CreateDeploymentRequest> = {};
  for (const [key, value] of Object.entries(request)) {
    if (!FORM_KEYS.has(key)) (extra as Record<string, unknown>)[key] = value;
  }
  const { gpu: _gpu, ...otherResources } = request.resources ?? {};
  if (Object.keys(otherResources).length > 0) extra.resources = otherResources;
  const gpus = request.computeType === 'cpu' ? 0 : (request.resources?.gpu ?? 1);
  return {
    ...base,
    name: request.name,
    namespace: request.namespace ?? base.namespace,
    modelId: request.modelId,
    provider: request.provider ?? 'auto',
    engine: request.engine ?? 'auto',
    mode: request.mode ?? 'aggregated',
    replicas: request.replicas ?? 1,
    gpus,
    prefill: { replicas: request.prefill?.replicas ?? 1, gpus: request.prefill?.gpu ?? 1 },
    decode: { replicas: request.decode?.replicas ?? 1, gpus: request.decode?.gpu ?? 1 },
    routerMode: request.routerMode ?? 'default',
    hfTokenSecret: request.hfTokenSecret ?? '',
    contextLength: request.contextLength !== undefined ? String(request.contextLength) : '',
    enablePrefixCaching: request.enablePrefixCaching ?? true,
    enforceEager: request.enforceEager ?? false,
    trustRemoteCode: request.trustRemoteCode ?? false,
    engineArgs: formatEngineArgs(
      Object.fromEntries(
        Object.entries(request.engineArgs ?? {})
          .filter(([, v]) => v !== false)
          .map(([k, v]) => [k, v === true ? '' : String(v)]),
      ),
    ),
    engineExtraArgs: (request.engineExtraArgs ?? []).join('\n'),
    imageRef: request.imageRef ?? '',
    servedModelName: request.servedModelName ?? '',
    gateway: request.gatewayEnabled === undefined ? 'auto' : request.gatewayEnabled ? 'on' : 'off',
    gatewayModelName: request.gatewayModelName ?? '',
    extra,
  };
}
