// Every kind of object a provider (or the gateway routing) renders for a ModelDeployment.
// The operator watches each of them — built-in kinds from the start, custom kinds once their
// CRD is established — to notice drift, read status and find what to delete when an identity
// change or a provider switch leaves objects behind.

export interface RenderedKind {
  /** API group; '' for the core group. */
  readonly group: string;
  /** The version providers render, which is also the version the operator watches. */
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  /** The CRD that serves the kind; undefined for kinds every cluster has. */
  readonly crd?: string;
}

export const RENDERED_KINDS: readonly RenderedKind[] = [
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments' },
  { group: '', version: 'v1', kind: 'Service', plural: 'services' },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps' },
  { group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', plural: 'rolebindings' },
  {
    group: 'kaito.sh',
    version: 'v1beta1',
    kind: 'Workspace',
    plural: 'workspaces',
    crd: 'workspaces.kaito.sh',
  },
  {
    group: 'nvidia.com',
    version: 'v1beta1',
    kind: 'DynamoGraphDeployment',
    plural: 'dynamographdeployments',
    crd: 'dynamographdeployments.nvidia.com',
  },
  { group: 'ray.io', version: 'v1', kind: 'RayService', plural: 'rayservices', crd: 'rayservices.ray.io' },
  {
    group: 'inference.networking.k8s.io',
    version: 'v1',
    kind: 'InferencePool',
    plural: 'inferencepools',
    crd: 'inferencepools.inference.networking.k8s.io',
  },
  {
    group: 'inference.networking.x-k8s.io',
    version: 'v1alpha2',
    kind: 'InferenceModelRewrite',
    plural: 'inferencemodelrewrites',
    crd: 'inferencemodelrewrites.inference.networking.x-k8s.io',
  },
  {
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    kind: 'HTTPRoute',
    plural: 'httproutes',
    crd: 'httproutes.gateway.networking.k8s.io',
  },
];

/** `<group>/<kind>`: how the operator keys the caches of rendered kinds. */
export function kindKey(apiVersion: string, kind: string): string {
  const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
  return `${group}/${kind}`;
}
