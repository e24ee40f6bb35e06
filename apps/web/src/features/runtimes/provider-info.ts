import type { ProviderName } from '@airunway/schema';

/** What the Runtimes screen shows about a provider's pinned install, from the product's catalogue. */
export interface ProviderInstallInfo {
  readonly id: ProviderName;
  readonly displayName: string;
  readonly description: string;
  readonly documentationUrl: string;
  readonly install?: {
    readonly chart: string;
    readonly version: string;
    readonly release: string;
    readonly namespace: string;
    readonly notes: readonly string[];
  };
}
