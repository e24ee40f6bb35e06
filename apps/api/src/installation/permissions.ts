// What a chart or a manifest needs the caller to be allowed, asked of Kubernetes before
// anything is written. Helm acts with the caller's own credentials, so the apiserver would
// refuse a forbidden object anyway — but only after the objects before it were created,
// leaving half an install. Asking first turns that into one clean 403 that names every
// missing permission.
import { UnknownKindError, type KubeClient, type KubeObject } from '@airunway/kube';
import { describeAccess, type Caller, type ResourceAttributes } from '../auth/caller.js';
import { ApiError } from '../errors.js';

/** `verb` on every kind of `objects`, in their namespace (namespaced kinds without one: `namespace`). */
export async function accessFor(
  client: KubeClient,
  objects: readonly KubeObject[],
  verb: string,
  namespace: string,
): Promise<ResourceAttributes[]> {
  const wanted = new Map<string, ResourceAttributes>();
  for (const obj of objects) {
    let resource;
    try {
      resource = await client.resourceFor(obj);
    } catch (err) {
      // A kind whose CRD the same chart brings: creating the CRD is asked for already, and
      // the apiserver judges the objects of the new kind.
      if (err instanceof UnknownKindError) continue;
      throw err;
    }
    const attributes: ResourceAttributes = {
      verb,
      group: resource.group,
      resource: resource.resource,
      ...(resource.namespaced ? { namespace: obj.metadata.namespace ?? namespace } : {}),
    };
    wanted.set(describeAccess(attributes), attributes);
  }
  return [...wanted.values()];
}

/** Cluster-scoped permissions first: they are the ones an installer most often lacks. */
function byScope(a: ResourceAttributes, b: ResourceAttributes): number {
  return Number(a.namespace !== undefined) - Number(b.namespace !== undefined);
}

/**
 * Throws FORBIDDEN naming every permission of `needed` the caller lacks; `purpose` completes
 * the message ("needed to install KubeRay").
 */
export async function authorizeAll(
  caller: Caller,
  needed: readonly ResourceAttributes[],
  purpose: string,
): Promise<void> {
  const sorted = [...needed].sort(byScope);
  const answers = await Promise.all(sorted.map((a) => caller.can(a)));
  const missing = sorted.filter((_, i) => !answers[i]);
  const first = missing[0];
  if (!first) return;
  const described = missing.map(describeAccess);
  const shown = described.length > 3 ? [...described.slice(0, 3), `${described.length - 3} more`] : described;
  throw new ApiError(
    'FORBIDDEN',
    `User "${caller.username ?? 'unknown'}" cannot ${shown.join(', ')}: ${purpose}`,
    {
      verb: first.verb,
      group: first.group ?? '',
      resource: first.resource,
      ...(first.namespace ? { namespace: first.namespace } : {}),
      ...(first.name ? { name: first.name } : {}),
      missing: described,
    },
  );
}
