// Who a request acts for. Services receive a Caller and ask it, not the route, whether
// Kubernetes RBAC allows an operation, so the REST routes and the tRPC router enforce the
// same rules. Writes go through `caller.kube`, which carries the user's own token when
// authentication is on: then the apiserver, not this process, decides.
import type { KubeClient } from '@airunway/kube';
import type { Permission } from '@airunway/schema';
import { ApiError } from '../errors.js';

/** What a SubjectAccessReview asks about (authorization.k8s.io/v1 ResourceAttributes). */
export interface ResourceAttributes {
  readonly verb: string;
  /** API group; "" (or absent) for the core group. */
  readonly group?: string;
  readonly resource: string;
  /** Absent for cluster-scoped resources, or for "in every namespace". */
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
}

export interface Caller {
  /** The Kubernetes user name; undefined when authentication is off (the API's own identity). */
  readonly username: string | undefined;
  readonly groups: readonly string[];
  /** A client acting as the caller: with the user's token, or the API's identity when auth is off. */
  readonly kube: KubeClient;
  /**
   * The user's bearer token, for tools that must act as the user themselves (Helm); undefined
   * when authentication is off. A function, so that it never lands in a log line or JSON.
   */
  readonly token?: () => string;
  /** Whether RBAC allows the caller `attributes`. Always true when authentication is off. */
  can(attributes: ResourceAttributes): Promise<boolean>;
  /** Throws FORBIDDEN unless RBAC allows the caller `attributes`. */
  authorize(attributes: ResourceAttributes): Promise<void>;
}

/** "list nodes", "update configmaps "airunway-config" in namespace airunway-system". */
export function describeAccess(a: ResourceAttributes): string {
  const resource = `${a.resource}${a.subresource ? `/${a.subresource}` : ''}${a.group ? `.${a.group}` : ''}`;
  const name = a.name ? ` "${a.name}"` : '';
  const where = a.namespace ? ` in namespace ${a.namespace}` : a.verb === 'list' ? ' at cluster scope' : '';
  return `${a.verb} ${resource}${name}${where}`;
}

export function forbidden(username: string, attributes: ResourceAttributes, reason?: string): ApiError {
  return new ApiError('FORBIDDEN', `User "${username}" cannot ${describeAccess(attributes)}`, {
    verb: attributes.verb,
    group: attributes.group ?? '',
    resource: attributes.resource,
    ...(attributes.namespace ? { namespace: attributes.namespace } : {}),
    ...(attributes.name ? { name: attributes.name } : {}),
    ...(reason ? { reason } : {}),
  });
}

/** Whether the caller may do `attributes`, with the refusal as a 403 would word it when not. */
export async function permission(caller: Caller, attributes: ResourceAttributes): Promise<Permission> {
  if (await caller.can(attributes)) return { allowed: true };
  return {
    allowed: false,
    reason: `User "${caller.username ?? 'unknown'}" cannot ${describeAccess(attributes)}`,
  };
}

/** Authentication off: the API acts with its own kubeconfig and checks nothing itself. */
export function localCaller(kube: KubeClient): Caller {
  return {
    username: undefined,
    groups: [],
    kube,
    can: () => Promise.resolve(true),
    authorize: () => Promise.resolve(),
  };
}
