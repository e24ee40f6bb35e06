// A client of the Azure Retail Prices API (GET /api/retail/prices with an OData $filter; no
// credentials). Answers are pages of `Items` linked by `NextPageLink`. Prices are read as
// pay-as-you-go Linux virtual machine prices, the figure a node pool is billed at.
import { z } from 'zod';
import { ApiError } from '../errors.js';

export interface AzurePricesOptions {
  /** e.g. https://prices.azure.com/api/retail/prices */
  readonly baseUrl: string;
  /** One deadline per page, body included. */
  readonly timeoutMs: number;
  /** Further attempts after a timeout, a lost connection, 429 or 5xx. */
  readonly retries: number;
  /** Wait before the first retry, doubled for each next one. */
  readonly retryDelayMs: number;
  /** Pages followed at most; a filter on one size and region fits in one. */
  readonly maxPages: number;
  readonly userAgent: string;
}

export interface AzureVmPrice {
  readonly armSkuName: string;
  readonly armRegionName: string;
  readonly hourlyPrice: number;
  readonly currency: string;
  readonly effectiveStartDate: string | undefined;
}

/** The fields of an item this client reads; the API sends more (meterId, skuId, …). */
const PriceItemSchema = z.object({
  currencyCode: z.string(),
  retailPrice: z.number().nonnegative(),
  armRegionName: z.string(),
  armSkuName: z.string(),
  productName: z.string(),
  skuName: z.string(),
  meterName: z.string(),
  serviceName: z.string(),
  unitOfMeasure: z.string(),
  type: z.string(),
  effectiveStartDate: z.string().optional(),
});
type PriceItem = z.output<typeof PriceItemSchema>;

const PricePageSchema = z.object({
  Items: z.array(z.unknown()),
  NextPageLink: z.string().nullish(),
});

/** Size and region names as Azure writes them; anything else could rewrite the OData filter. */
const SKU_NAME = /^[A-Za-z0-9_]{1,64}$/;
const REGION_NAME = /^[a-z0-9]{1,40}$/;

const SERVICE = 'azure-retail-prices';

function upstreamError(reason: string, message: string, details: Record<string, unknown> = {}): ApiError {
  return new ApiError('UPSTREAM_UNAVAILABLE', `Azure Retail Prices: ${message}`, {
    service: SERVICE,
    reason,
    ...details,
  });
}

/** Windows, Spot and Low Priority meters are other products at other prices. */
function isLinuxOnDemand(item: PriceItem): boolean {
  const names = `${item.meterName} ${item.skuName}`;
  return (
    item.serviceName === 'Virtual Machines' &&
    item.type === 'Consumption' &&
    item.unitOfMeasure === '1 Hour' &&
    !/windows/i.test(item.productName) &&
    !/\b(spot|low priority)\b/i.test(names)
  );
}

export class AzureRetailPrices {
  private readonly base: URL;

  constructor(private readonly options: AzurePricesOptions) {
    this.base = new URL(options.baseUrl);
  }

  static isValidSku(name: string): boolean {
    return SKU_NAME.test(name);
  }

  static isValidRegion(name: string): boolean {
    return REGION_NAME.test(name);
  }

  /** The hourly on-demand Linux price of a VM size in a region; undefined when Azure lists none. */
  async vmPrice(armSkuName: string, region: string): Promise<AzureVmPrice | undefined> {
    if (!SKU_NAME.test(armSkuName) || !REGION_NAME.test(region))
      throw ApiError.validation([{ path: 'instanceType', message: 'not an Azure VM size in a region' }]);
    const url = new URL(this.base);
    url.searchParams.set(
      '$filter',
      `serviceName eq 'Virtual Machines' and armSkuName eq '${armSkuName}' and ` +
        `armRegionName eq '${region}' and priceType eq 'Consumption'`,
    );
    const found: PriceItem[] = [];
    let next: URL | undefined = url;
    for (let page = 0; next && page < this.options.maxPages; page++) {
      const { items, nextLink } = await this.page(next);
      for (const item of items)
        if (
          item.armSkuName.toLowerCase() === armSkuName.toLowerCase() &&
          item.armRegionName === region &&
          isLinuxOnDemand(item)
        )
          found.push(item);
      next = nextLink;
    }
    // Should a meter have several prices over time, the newest is the one billed now.
    const newest = found.sort((a, b) =>
      (b.effectiveStartDate ?? '').localeCompare(a.effectiveStartDate ?? ''),
    )[0];
    if (!newest) return undefined;
    return {
      armSkuName: newest.armSkuName,
      armRegionName: newest.armRegionName,
      hourlyPrice: newest.retailPrice,
      currency: newest.currencyCode,
      effectiveStartDate: newest.effectiveStartDate,
    };
  }

  private async page(url: URL): Promise<{ items: PriceItem[]; nextLink: URL | undefined }> {
    const body = await this.fetchJson(url);
    const parsed = PricePageSchema.safeParse(body);
    if (!parsed.success) throw upstreamError('malformed', 'the answer has no Items list');
    const items: PriceItem[] = [];
    for (const raw of parsed.data.Items) {
      const item = PriceItemSchema.safeParse(raw);
      // One unreadable item among many says little; a page of nothing but is not a price list.
      if (item.success) items.push(item.data);
    }
    if (parsed.data.Items.length > 0 && items.length === 0)
      throw upstreamError('malformed', 'no item of the answer has the fields of a price');
    return { items, nextLink: this.nextLink(parsed.data.NextPageLink) };
  }

  /** Followed only on the configured service, so an answer cannot send this process elsewhere. */
  private nextLink(link: string | null | undefined): URL | undefined {
    if (!link) return undefined;
    let next: URL;
    try {
      next = new URL(link, this.base);
    } catch {
      throw upstreamError('malformed', 'NextPageLink is not a URL');
    }
    // The service writes its links with an explicit :443; URL drops default ports.
    if (next.origin !== this.base.origin || next.pathname !== this.base.pathname)
      throw upstreamError(
        'malformed',
        `NextPageLink points outside the price list: ${next.origin}${next.pathname}`,
      );
    return next;
  }

  private async fetchJson(url: URL): Promise<unknown> {
    let delay = this.options.retryDelayMs;
    for (let attempt = 0; ; attempt++) {
      const answer = await this.fetchOnce(url);
      if (answer.ok) return answer.body;
      if (!answer.retryable || attempt >= this.options.retries) throw answer.error;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
  }

  private async fetchOnce(
    url: URL,
  ): Promise<{ ok: true; body: unknown } | { ok: false; error: ApiError; retryable: boolean }> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        headers: { Accept: 'application/json', 'User-Agent': this.options.userAgent },
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      const error = timedOut
        ? upstreamError('timeout', `no answer within ${this.options.timeoutMs} ms`)
        : upstreamError('unreachable', `cannot be reached (${(err as Error).message})`);
      return { ok: false, error, retryable: true };
    }
    if (!res.ok)
      return {
        ok: false,
        error: upstreamError('http-error', `answered HTTP ${res.status}`, { status: res.status }),
        retryable: res.status === 429 || res.status >= 500,
      };
    try {
      return { ok: true, body: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, error: upstreamError('malformed', 'the answer is not JSON'), retryable: false };
    }
  }
}
