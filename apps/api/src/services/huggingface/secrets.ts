// /secrets/huggingface: the token model pods download gated models with, as the Secret
// `hf-token-secret` (key HF_TOKEN) in each configured namespace. Everything is done as the
// caller (`caller.kube`: their own token when authentication is on), one named Secret per
// namespace — never a list of Secrets, never cluster-wide — so Kubernetes RBAC decides, namespace
// by namespace, and the answer says what happened in each. A missing namespace is reported, not
// created: making namespaces is not this route's business.
import { HF_TOKEN_SECRET_KEY } from '@airunway/providers';
import { KubeApiError, Resources, isNotFound, type KubeObject } from '@airunway/kube';
import {
  HF_TOKEN_SECRET_NAME,
  type ApiErrorCode,
  type DeleteHfSecretResponse,
  type HfSecretResult,
  type HfSecretStatusResponse,
  type Permission,
  type SaveHfSecretRequest,
  type SaveHfSecretResponse,
} from '@airunway/schema';
import { permission, type Caller, type ResourceAttributes } from '../../auth/caller.js';
import { ApiError, toApiError } from '../../errors.js';
import type { HubUsers } from '../../huggingface/users.js';

const FIELD_MANAGER = 'airunway-api';
const LABELS = {
  'app.kubernetes.io/managed-by': 'airunway',
  'airunway.ai/secret-type': 'huggingface-token',
};

interface Secret extends KubeObject {
  data?: Record<string, string>;
}

/** A Kubernetes refusal in one namespace, as a result; anything else (no apiserver) is thrown. */
function failure(namespace: string, err: unknown): HfSecretResult {
  if (!(err instanceof KubeApiError)) throw err;
  const missingNamespace = err.reason === 'NotFound' && err.details?.kind === 'namespaces';
  return {
    namespace,
    success: false,
    reason: err.reason,
    error: missingNamespace ? `namespace "${namespace}" does not exist` : err.message,
  };
}

/** Allowed when one of `answers` is (the route then succeeds); else every refusal. */
function anyAllowed(answers: readonly Permission[]): Permission {
  if (answers.some((a) => a.allowed)) return { allowed: true };
  if (answers.length === 0) return { allowed: false, reason: 'No namespace is configured for the token' };
  return { allowed: false, reason: answers.map((a) => a.reason).join('; ') };
}

const isMissingNamespace = (r: HfSecretResult) => r.reason === 'NotFound';

/** When no namespace could be written, the request failed as a whole, with the reason they share. */
function noneSucceeded(action: string, results: HfSecretResult[]): ApiError {
  const code: ApiErrorCode = results.some((r) => r.reason === 'Forbidden')
    ? 'FORBIDDEN'
    : results.every(isMissingNamespace)
      ? 'NOT_FOUND'
      : 'INTERNAL_ERROR';
  const summary = results.map((r) => `${r.namespace}: ${r.error ?? 'failed'}`).join('; ');
  return new ApiError(code, `Could not ${action} the HuggingFace token in any namespace (${summary})`, {
    results,
  });
}

export class HuggingFaceSecretService {
  constructor(
    private readonly users: HubUsers,
    private readonly namespaces: readonly string[],
  ) {}

  async status(caller: Caller): Promise<HfSecretStatusResponse> {
    const reads = await Promise.all(
      this.namespaces.map(async (namespace) => {
        try {
          const secret = await caller.kube.get<Secret>(Resources.Secret, HF_TOKEN_SECRET_NAME, { namespace });
          return { namespace, secret };
        } catch (err) {
          if (isNotFound(err)) return { namespace, secret: undefined };
          return { namespace, secret: undefined, error: failure(namespace, err).error };
        }
      }),
    );
    const permissions = await this.permissions(
      caller,
      new Set(reads.filter((r) => r.secret).map((r) => r.namespace)),
    );
    const encoded = reads.find((r) => r.secret?.data?.[HF_TOKEN_SECRET_KEY])?.secret?.data?.[
      HF_TOKEN_SECRET_KEY
    ];
    const token = encoded ? Buffer.from(encoded, 'base64').toString('utf8').trim() : undefined;
    const response: HfSecretStatusResponse = {
      configured: reads.some((r) => r.secret !== undefined),
      namespaces: reads.map((r) => ({
        name: r.namespace,
        exists: r.secret !== undefined,
        ...(r.error ? { error: r.error } : {}),
      })),
      permissions,
    };
    if (!token) return response;
    try {
      const who = await this.users.lookup(token);
      if (who.ok) response.user = { id: who.user.id, name: who.user.name, fullname: who.user.fullname };
      else response.userError = who.message;
    } catch (err) {
      // The namespaces are still worth showing when HuggingFace cannot be asked.
      response.userError = toApiError(err).message;
    }
    return response;
  }

  /**
   * What save() and remove() would be allowed, namespace by namespace, as they write: a save is
   * a server-side apply (a patch, and a create where the Secret is not known to exist).
   */
  private async permissions(
    caller: Caller,
    existing: ReadonlySet<string>,
  ): Promise<HfSecretStatusResponse['permissions']> {
    const secret = (verb: string, namespace: string, name?: string): ResourceAttributes => ({
      verb,
      resource: 'secrets',
      namespace,
      ...(name ? { name } : {}),
    });
    const [save, remove] = await Promise.all([
      Promise.all(
        this.namespaces.map(async (namespace) => {
          const patch = await permission(caller, secret('patch', namespace, HF_TOKEN_SECRET_NAME));
          if (!patch.allowed || existing.has(namespace)) return patch;
          return permission(caller, secret('create', namespace));
        }),
      ),
      Promise.all(
        this.namespaces.map((ns) => permission(caller, secret('delete', ns, HF_TOKEN_SECRET_NAME))),
      ),
    ]);
    return { save: anyAllowed(save), remove: anyAllowed(remove) };
  }

  async save(caller: Caller, input: SaveHfSecretRequest): Promise<SaveHfSecretResponse> {
    // A token HuggingFace refuses would only make model downloads fail later, in every pod.
    const who = await this.users.lookup(input.accessToken);
    if (!who.ok) throw ApiError.validation([{ path: 'accessToken', message: who.message }]);
    const data = { [HF_TOKEN_SECRET_KEY]: Buffer.from(input.accessToken, 'utf8').toString('base64') };
    const results = await Promise.all(
      this.namespaces.map(async (namespace): Promise<HfSecretResult> => {
        try {
          // Server-side apply, forced: this route owns the token, whoever wrote it before.
          await caller.kube.apply<Secret>(
            {
              apiVersion: 'v1',
              kind: 'Secret',
              metadata: { name: HF_TOKEN_SECRET_NAME, namespace, labels: LABELS },
              type: 'Opaque',
              data,
            } as Secret,
            { fieldManager: FIELD_MANAGER, force: true, resource: Resources.Secret },
          );
          return { namespace, success: true };
        } catch (err) {
          return failure(namespace, err);
        }
      }),
    );
    const written = results.filter((r) => r.success).length;
    if (written === 0) throw noneSucceeded('save', results);
    const success = results.every((r) => r.success || isMissingNamespace(r));
    const { id, name, fullname } = who.user;
    return {
      success,
      message: success
        ? 'HuggingFace token saved successfully'
        : `HuggingFace token saved in ${written} of ${results.length} namespaces`,
      user: { id, name, fullname },
      results,
    };
  }

  async remove(caller: Caller): Promise<DeleteHfSecretResponse> {
    const results = await Promise.all(
      this.namespaces.map(async (namespace): Promise<HfSecretResult> => {
        try {
          await caller.kube.delete(Resources.Secret, HF_TOKEN_SECRET_NAME, { namespace });
          return { namespace, success: true };
        } catch (err) {
          // Already gone (or no such namespace): what was asked for is true.
          if (isNotFound(err)) return { namespace, success: true };
          return failure(namespace, err);
        }
      }),
    );
    const success = results.every((r) => r.success);
    if (!results.some((r) => r.success)) throw noneSucceeded('delete', results);
    return {
      success,
      message: success
        ? 'HuggingFace secrets deleted successfully'
        : `HuggingFace secrets deleted in ${results.filter((r) => r.success).length} of ${results.length} namespaces`,
      results,
    };
  }
}
