// A deployment as Kubernetes objects: the ModelDeployment and every object the operator created
// for it (controlled by its uid), from the watch caches. Kinds the caller may not read are left
// out and named, as kubectl would refuse them.
import type { KubeObject } from '@airunway/kube';
import { RENDERED_KINDS, kindKey } from '@airunway/providers';
import {
  API_GROUP_VERSION,
  MODEL_DEPLOYMENT_KIND,
  type ManifestResource,
  type ManifestResponse,
} from '@airunway/schema';
import type { Caller } from '../../auth/caller.js';
import type { ClusterCache } from '../../cache/cluster-cache.js';
import type { DeploymentService } from './service.js';

const KIND_ORDER = RENDERED_KINDS.map((k) => ({
  key: kindKey(k.group === '' ? k.version : `${k.group}/${k.version}`, k.kind),
  group: k.group,
  plural: k.plural,
}));

function resource(obj: KubeObject): ManifestResource {
  return {
    kind: obj.kind ?? '',
    apiVersion: obj.apiVersion ?? '',
    name: obj.metadata.name ?? '',
    ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
    manifest: obj as unknown as Record<string, unknown>,
  };
}

export class ManifestService {
  constructor(
    private readonly deployments: DeploymentService,
    private readonly cache: ClusterCache,
  ) {}

  async manifest(caller: Caller, namespace: string, name: string): Promise<ManifestResponse> {
    const md = await this.deployments.find(caller, namespace, name);
    const objects = this.cache.providerObjects;
    await this.cache.whenSynced(...objects.informers());
    const owned = objects.ownedBy(md.metadata.uid ?? '');
    const rank = (o: KubeObject) =>
      KIND_ORDER.findIndex((k) => k.key === kindKey(o.apiVersion ?? '', o.kind ?? ''));
    owned.sort((a, b) => rank(a) - rank(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));

    const allowed = new Map<string, boolean>();
    const omitted: { kind: string; reason: string }[] = [];
    const shown: KubeObject[] = [];
    for (const obj of owned) {
      const kind = KIND_ORDER[rank(obj)];
      if (!kind) continue;
      let may = allowed.get(kind.key);
      if (may === undefined) {
        may = await caller.can({ verb: 'get', group: kind.group, resource: kind.plural, namespace });
        allowed.set(kind.key, may);
        if (!may)
          omitted.push({
            kind: obj.kind ?? '',
            reason: `not allowed to get ${kind.plural}${kind.group ? `.${kind.group}` : ''} in namespace ${namespace}`,
          });
      }
      if (may) shown.push(obj);
    }
    return {
      resources: [resource(md), ...shown.map(resource)],
      primaryResource: { kind: MODEL_DEPLOYMENT_KIND, apiVersion: API_GROUP_VERSION },
      ...(omitted.length > 0 ? { omitted } : {}),
    };
  }
}
