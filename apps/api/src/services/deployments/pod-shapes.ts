// The pods a set of rendered objects would make. Every provider object that makes pods holds
// a pod spec (a `containers` list) under some path — a Deployment's template, a Dynamo
// component's podTemplate, a Ray worker group's template, a KAITO template — with the replica
// count on the nearest object above it. When the objects hold no pod spec (a KAITO preset,
// whose pods KAITO itself builds), the ModelDeployment's own resources say what its pods need.
import type { KubernetesObject } from '@airunway/providers';
import type { ModelDeployment } from '@airunway/schema';
import { effectiveRequests, resourceAmount } from '../../cache/objects.js';
import type { PodShape, Toleration } from '../fit.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPodSpec(value: Json): boolean {
  return Array.isArray(value.containers) && value.containers.every(isObject);
}

function shapeOf(role: string, replicas: number, podSpec: Json): PodShape {
  return {
    role,
    replicas,
    requests: effectiveRequests({ spec: podSpec }),
    ...(isObject(podSpec.nodeSelector)
      ? { nodeSelector: podSpec.nodeSelector as Record<string, string> }
      : {}),
    ...(Array.isArray(podSpec.tolerations) ? { tolerations: podSpec.tolerations as Toleration[] } : {}),
  };
}

function walk(
  value: unknown,
  key: string,
  replicas: number,
  component: string | undefined,
  out: (s: { replicas: number; component: string | undefined; spec: Json }) => void,
): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, key, replicas, component, out);
    return;
  }
  if (!isObject(value) || key === 'metadata' || key === 'status') return;
  if (isPodSpec(value)) {
    out({ replicas, component, spec: value });
    return;
  }
  const here = typeof value.replicas === 'number' ? value.replicas : replicas;
  const name =
    typeof value.groupName === 'string'
      ? value.groupName
      : typeof value.name === 'string'
        ? value.name
        : key.endsWith('GroupSpec')
          ? key.replace(/GroupSpec$/, '')
          : component;
  for (const [k, v] of Object.entries(value)) walk(v, k, here, name, out);
}

/** The pods of the objects, by template. */
export function podShapesOfObjects(objects: readonly KubernetesObject[]): PodShape[] {
  const shapes: PodShape[] = [];
  for (const obj of objects) {
    const root = obj as unknown as Json;
    // A KAITO Workspace runs one pod per node of resource.count.
    const resource = root.resource;
    const replicas = isObject(resource) && typeof resource.count === 'number' ? resource.count : 1;
    const base = `${obj.kind} ${obj.metadata.name}`;
    for (const [k, v] of Object.entries(root))
      walk(v, k, replicas, undefined, ({ replicas: n, component, spec }) => {
        shapes.push(shapeOf(component ? `${base}: ${component}` : base, n, spec));
      });
  }
  return shapes;
}

/** The model server pods as the spec asks for them: resources per replica, or per worker. */
export function podShapesOfSpec(md: ModelDeployment): PodShape[] {
  const { spec } = md;
  const placement = {
    ...(spec.nodeSelector ? { nodeSelector: spec.nodeSelector } : {}),
    ...(spec.tolerations ? { tolerations: spec.tolerations } : {}),
  };
  const requests = (
    gpu: { count: number; type: string } | undefined,
    memory: string | number | undefined,
    cpu?: string | number,
  ) => {
    const out: Record<string, number> = {};
    if (gpu && gpu.count > 0) out[gpu.type] = gpu.count;
    if (memory !== undefined) out.memory = resourceAmount('memory', memory);
    if (cpu !== undefined) out.cpu = resourceAmount('cpu', cpu);
    return out;
  };
  const name = md.metadata.name;
  if (spec.serving.mode === 'disaggregated') {
    return (['prefill', 'decode'] as const).flatMap((role) => {
      const w = spec.scaling[role];
      return w
        ? [
            {
              role: `${name}: ${role}`,
              replicas: w.replicas,
              requests: requests(w.gpu, w.memory ?? spec.resources.memory),
              ...placement,
            },
          ]
        : [];
    });
  }
  return [
    {
      role: `${name}: model server`,
      replicas: spec.scaling.replicas ?? 1,
      requests: requests(spec.resources.gpu, spec.resources.memory, spec.resources.cpu),
      ...placement,
    },
  ];
}

/** The pods of the rendered objects, or of the spec when the objects hold no pod template. */
export function podShapes(md: ModelDeployment, objects: readonly KubernetesObject[]): PodShape[] {
  const fromObjects = podShapesOfObjects(objects);
  return fromObjects.length > 0 ? fromObjects : podShapesOfSpec(md);
}
