// Settings of the product, kept in the cluster (ConfigMap airunway-config, key config.json, in
// the product's namespace) so that every replica and every restart sees the same. Reads come
// from the watch cache; a write is made with the caller's own token, so only someone allowed to
// change that ConfigMap can change the settings.
import { Resources, type KubeObject } from '@airunway/kube';
import { PROVIDERS } from '@airunway/providers';
import {
  AppConfigSchema,
  type AppConfig,
  type Permission,
  type SettingsResponse,
  type UpdateSettingsRequest,
  type UpdateSettingsResponse,
} from '@airunway/schema';
import { permission, type Caller } from '../auth/caller.js';
import { SETTINGS_CONFIGMAP, type ClusterCache } from '../cache/cluster-cache.js';
import type { CachedConfigMap } from '../cache/objects.js';

export const SETTINGS_KEY = 'config.json';
export const FIELD_MANAGER = 'airunway-api';

export interface SettingsServiceOptions {
  readonly cache: ClusterCache;
  readonly productNamespace: string;
  /** Used until the ConfigMap says otherwise. */
  readonly defaults: AppConfig;
  readonly authEnabled: boolean;
}

/** The stored document: known settings plus anything a newer version wrote (kept on update). */
function storedDocument(cm: CachedConfigMap | undefined): Record<string, unknown> {
  const text = cm?.data?.[SETTINGS_KEY];
  if (!text) return {};
  try {
    const doc: unknown = JSON.parse(text);
    return doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export class SettingsService {
  constructor(private readonly options: SettingsServiceOptions) {}

  private stored(): CachedConfigMap | undefined {
    return this.options.cache.settings.get(this.options.productNamespace, SETTINGS_CONFIGMAP);
  }

  /** The configuration now (or as in `cm`): each stored setting that is valid, else its default. */
  current(cm: CachedConfigMap | undefined = this.stored()): AppConfig {
    const doc = storedDocument(cm);
    const parsed = AppConfigSchema.partial().safeParse(doc);
    const valid = parsed.success ? parsed.data : {};
    return { defaultNamespace: valid.defaultNamespace ?? this.options.defaults.defaultNamespace };
  }

  /**
   * Whether the caller may write the settings as update() does: a server-side apply is a patch,
   * and creates the ConfigMap when it is missing, which the apiserver also checks as a create.
   */
  private async mayUpdate(caller: Caller): Promise<Permission> {
    const namespace = this.options.productNamespace;
    const patch = await permission(caller, {
      verb: 'patch',
      resource: 'configmaps',
      namespace,
      name: SETTINGS_CONFIGMAP,
    });
    if (!patch.allowed || this.stored()) return patch;
    return permission(caller, { verb: 'create', resource: 'configmaps', namespace });
  }

  private response(update: Permission, cm?: CachedConfigMap): SettingsResponse {
    return {
      config: this.current(cm),
      auth: { enabled: this.options.authEnabled },
      providers: PROVIDERS.map((p) => ({ id: p.id, name: p.displayName, description: p.description })),
      permissions: { update },
    };
  }

  async get(caller: Caller): Promise<SettingsResponse> {
    await this.options.cache.whenSynced(this.options.cache.settings);
    return this.response(await this.mayUpdate(caller));
  }

  async update(caller: Caller, input: UpdateSettingsRequest): Promise<UpdateSettingsResponse> {
    const { cache, productNamespace } = this.options;
    await cache.whenSynced(cache.settings);
    const document = { ...storedDocument(this.stored()), ...input };
    const written = await caller.kube.apply<CachedConfigMap & KubeObject>(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: SETTINGS_CONFIGMAP,
          namespace: productNamespace,
          labels: { 'app.kubernetes.io/managed-by': 'airunway', 'app.kubernetes.io/part-of': 'airunway' },
        },
        data: { [SETTINGS_KEY]: JSON.stringify(document, null, 2) },
      },
      // The API owns this ConfigMap: take over fields a hand edit (kubectl edit) claimed.
      { fieldManager: FIELD_MANAGER, force: true, resource: Resources.ConfigMap },
    );
    // Read-your-writes: the next GET, on any request, answers from a cache that has the write.
    await cache.waiter(cache.settings).waitForVersion(written, 3_000);
    // The write just succeeded as the caller: they may update.
    return { ...this.response({ allowed: true }, written), message: 'Settings updated' };
  }
}
