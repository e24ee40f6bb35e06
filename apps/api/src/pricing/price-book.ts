// Instance prices by cloud, kept for an hour: list prices change a few times a year, and a page
// of node pools would otherwise ask the price list once per pool on every refresh. A failed
// lookup is not kept, so the next request asks again.
import type { CloudProvider } from '@airunway/schema';
import { TtlCache } from '../auth/ttl-cache.js';
import { AzureRetailPrices, type AzureVmPrice } from './azure-retail-prices.js';
import { detectCloudProvider } from './cloud-provider.js';

export type PriceLookup =
  | {
      readonly kind: 'found';
      readonly price: AzureVmPrice;
      readonly fetchedAt: Date;
      readonly cached: boolean;
    }
  | { readonly kind: 'not-found'; readonly provider: CloudProvider }
  | { readonly kind: 'unsupported-provider'; readonly provider: CloudProvider }
  | { readonly kind: 'unknown-provider' };

export interface PriceBookOptions {
  readonly azure: AzureRetailPrices;
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly now?: () => Date;
}

type Stored = { price: AzureVmPrice | undefined; fetchedAt: Date };

export class PriceBook {
  private readonly cache: TtlCache<Stored>;
  private readonly now: () => Date;

  constructor(private readonly options: PriceBookOptions) {
    this.now = options.now ?? (() => new Date());
    this.cache = new TtlCache<Stored>({ maxEntries: options.maxEntries, now: () => this.now().getTime() });
  }

  get stats(): { size: number; ttlMs: number; maxEntries: number } {
    return { size: this.cache.size, ttlMs: this.options.ttlMs, maxEntries: this.options.maxEntries };
  }

  /** Throws UPSTREAM_UNAVAILABLE when the price list cannot answer. */
  async lookup(instanceType: string, region: string): Promise<PriceLookup> {
    const provider = detectCloudProvider(instanceType);
    if (!provider) return { kind: 'unknown-provider' };
    // Only Azure publishes a price list that needs no account.
    if (provider !== 'azure' || !AzureRetailPrices.isValidRegion(region))
      return provider === 'azure'
        ? { kind: 'not-found', provider }
        : { kind: 'unsupported-provider', provider };
    const key = `azure/${region}/${instanceType.toLowerCase()}`;
    const cached = this.cache.peek(key);
    const stored =
      cached ??
      (await this.cache.getOrCompute(
        key,
        async () => ({
          price: await this.options.azure.vmPrice(instanceType, region),
          fetchedAt: this.now(),
        }),
        () => this.options.ttlMs,
      ));
    if (!stored.price) return { kind: 'not-found', provider };
    return { kind: 'found', price: stored.price, fetchedAt: stored.fetchedAt, cached: cached !== undefined };
  }
}
