// Where a kind lives on the apiserver. A ResourceDescriptor is everything needed to build
// a URL ({group, version, resource, namespaced}); the common built-in ones are listed
// here, and Discovery resolves any other apiVersion+kind (CRDs) at run time.

export interface ResourceDescriptor {
  /** "" for the core group. */
  readonly group: string;
  readonly version: string;
  /** Plural resource name as in the URL, e.g. "deployments". */
  readonly resource: string;
  readonly namespaced: boolean;
  /** The kind the resource serves, when known (for messages and apply bodies). */
  readonly kind?: string;
}

export function apiVersionOf(r: Pick<ResourceDescriptor, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** "deployments.apps", "pods" — the name RBAC and error messages use. */
export function groupResourceOf(r: ResourceDescriptor): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

export interface ResourcePathOptions {
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
  readonly subresource?: string | undefined;
}

/**
 * /api/v1/namespaces/ns/pods/name/status and friends. A namespaced resource without a
 * namespace addresses the collection across all namespaces (lists and watches only).
 */
export function resourcePath(r: ResourceDescriptor, options: ResourcePathOptions = {}): string {
  const { namespace, name, subresource } = options;
  let path = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (r.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  if (!r.namespaced && namespace)
    throw new Error(`${groupResourceOf(r)} is cluster-scoped; no namespace may be given`);
  path += `/${r.resource}`;
  if (name !== undefined) {
    if (!name) throw new Error(`empty name for ${groupResourceOf(r)}`);
    if (r.namespaced && !namespace)
      throw new Error(`${groupResourceOf(r)} "${name}" is namespaced; a namespace is required`);
    path += `/${encodeURIComponent(name)}`;
    if (subresource) path += `/${subresource}`;
  }
  return path;
}

const core = (resource: string, kind: string, namespaced = true): ResourceDescriptor => ({
  group: '',
  version: 'v1',
  resource,
  kind,
  namespaced,
});

/** Built-in resources the operator and the API use; no discovery round trip needed. */
export const Resources = {
  ConfigMap: core('configmaps', 'ConfigMap'),
  Secret: core('secrets', 'Secret'),
  Pod: core('pods', 'Pod'),
  Service: core('services', 'Service'),
  ServiceAccount: core('serviceaccounts', 'ServiceAccount'),
  PersistentVolumeClaim: core('persistentvolumeclaims', 'PersistentVolumeClaim'),
  Event: core('events', 'Event'),
  Namespace: core('namespaces', 'Namespace', false),
  Node: core('nodes', 'Node', false),
  Deployment: { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true },
  StatefulSet: {
    group: 'apps',
    version: 'v1',
    resource: 'statefulsets',
    kind: 'StatefulSet',
    namespaced: true,
  },
  Job: { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true },
  Lease: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true },
  EventV1: { group: 'events.k8s.io', version: 'v1', resource: 'events', kind: 'Event', namespaced: true },
  CustomResourceDefinition: {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    resource: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    namespaced: false,
  },
  SubjectAccessReview: {
    group: 'authorization.k8s.io',
    version: 'v1',
    resource: 'subjectaccessreviews',
    kind: 'SubjectAccessReview',
    namespaced: false,
  },
  SelfSubjectAccessReview: {
    group: 'authorization.k8s.io',
    version: 'v1',
    resource: 'selfsubjectaccessreviews',
    kind: 'SelfSubjectAccessReview',
    namespaced: false,
  },
  TokenReview: {
    group: 'authentication.k8s.io',
    version: 'v1',
    resource: 'tokenreviews',
    kind: 'TokenReview',
    namespaced: false,
  },
} as const satisfies Record<string, ResourceDescriptor>;
