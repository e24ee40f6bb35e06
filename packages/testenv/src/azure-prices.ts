// A stand-in for the Azure Retail Prices API on 127.0.0.1, answering in its own shape: pages of
// `Items` (every field Azure sends) with `NextPageLink`, `Count`, `BillingCurrency`, selected by
// the OData `$filter` the client sends. Prices are example figures, not Azure's. A small page
// size makes every lookup span pages, with the Linux price after Windows and Spot meters. Tests
// make it time out, fail or answer nonsense, and read which requests it got.
//
// One price list for every test that needs one: the API's tests point their API at it, the
// browser tests start it with the stack (AZURE_RETAIL_PRICES_URL) and compute the figures they
// expect on screen from LINUX_PRICES.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type PriceFailure =
  'timeout' | 'status500' | 'status503-once' | 'not-json' | 'no-items' | 'foreign-next-link';

interface Meter {
  readonly sku: string;
  readonly region: string;
  readonly price: number;
  readonly variant: 'linux' | 'windows' | 'spot' | 'low-priority';
}

/** Sizes as Azure names their meters: ND96isr_H100_v5 → "ND96isr H100 v5", series "NDisrH100v5". */
const SERIES: Readonly<Record<string, string>> = {
  Standard_ND96isr_H100_v5: 'NDisrH100v5',
  Standard_ND96amsr_A100_v4: 'NDamsrA100v4',
  Standard_NC24ads_A100_v4: 'NCadsA100v4',
  Standard_NC96ads_A100_v4: 'NCadsA100v4',
  Standard_D16s_v5: 'Dsv5',
  Standard_NC4as_T4_v3: 'NCasT4v3',
};

function meters(sku: string, region: string, linux: number): Meter[] {
  // Windows and Spot first: the price the client wants is on a later page.
  return [
    { sku, region, price: Math.round(linux * 1.18 * 1000) / 1000, variant: 'windows' },
    { sku, region, price: Math.round(linux * 0.2 * 1000) / 1000, variant: 'spot' },
    { sku, region, price: Math.round(linux * 0.25 * 1000) / 1000, variant: 'low-priority' },
    { sku, region, price: linux, variant: 'linux' },
  ];
}

/** Pay-as-you-go Linux prices per node-hour in USD, by `region/size`. */
export const LINUX_PRICES = {
  'eastus/Standard_ND96isr_H100_v5': 98.32,
  'eastus/Standard_ND96amsr_A100_v4': 32.77,
  'eastus/Standard_NC24ads_A100_v4': 3.673,
  'westeurope/Standard_NC24ads_A100_v4': 4.04,
  'eastus/Standard_D16s_v5': 0.768,
  'eastus/Standard_NC4as_T4_v3': 0.526,
  // The browser tests' nodes (e2e/support/stack.ts).
  'eastus2/Standard_ND96isr_H100_v5': 98.32,
  'eastus2/Standard_NC96ads_A100_v4': 14.692,
  'eastus2/Standard_D16s_v5': 0.768,
} as const;

const METERS: Meter[] = Object.entries(LINUX_PRICES).flatMap(([key, price]) => {
  const [region = '', sku = ''] = key.split('/');
  return meters(sku, region, price);
});

const LOCATIONS: Readonly<Record<string, string>> = {
  eastus: 'US East',
  eastus2: 'US East 2',
  westeurope: 'EU West',
};

function item(m: Meter, index: number): Record<string, unknown> {
  const size = m.sku.replace(/^Standard_/, '').replace(/_/g, ' ');
  const suffix = { linux: '', windows: '', spot: ' Spot', 'low-priority': ' Low Priority' }[m.variant];
  const series = SERIES[m.sku] ?? 'General';
  return {
    currencyCode: 'USD',
    tierMinimumUnits: 0.0,
    retailPrice: m.price,
    unitPrice: m.price,
    armRegionName: m.region,
    location: LOCATIONS[m.region] ?? m.region,
    effectiveStartDate: '2024-06-01T00:00:00Z',
    meterId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    meterName: `${size}${suffix}`,
    productId: `DZH318Z0${String(index).padStart(4, '0')}`,
    skuId: `DZH318Z0${String(index).padStart(4, '0')}/00${index % 10}F`,
    availabilityId: null,
    productName: `Virtual Machines ${series} Series${m.variant === 'windows' ? ' Windows' : ''}`,
    skuName: `${size}${suffix}`,
    serviceName: 'Virtual Machines',
    serviceId: 'DZH313Z7MMC8',
    serviceFamily: 'Compute',
    unitOfMeasure: '1 Hour',
    type: 'Consumption',
    isPrimaryMeterRegion: true,
    armSkuName: m.sku,
  };
}

/** The equality terms of an OData filter: armSkuName eq 'X' and … */
function terms(filter: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of filter.matchAll(/(\w+) eq '([^']*)'/g)) found.set(m[1] ?? '', m[2] ?? '');
  return found;
}

export interface PriceRequest {
  readonly path: string;
  readonly filter: string;
  readonly skip: number;
}

export interface AzurePricesFixture {
  readonly url: string;
  readonly requests: PriceRequest[];
  /** The next `times` requests (all when omitted) fail as told. */
  fail(how: PriceFailure, times?: number): void;
  clear(): void;
  close(): Promise<void>;
}

const PAGE_SIZE = 2;

export async function startAzurePricesFixture(): Promise<AzurePricesFixture> {
  const requests: PriceRequest[] = [];
  let failure: { how: PriceFailure; left: number } | undefined;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const filter = url.searchParams.get('$filter') ?? '';
    const skip = Number(url.searchParams.get('$skip') ?? '0');
    requests.push({ path: url.pathname, filter, skip });
    const send = (status: number, body: string, type = 'application/json; charset=utf-8') => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(body);
    };
    if (url.pathname !== '/api/retail/prices') {
      send(404, JSON.stringify({ Error: 'not found' }));
      return;
    }

    if (failure && failure.left > 0 && failure.how !== 'foreign-next-link') {
      const how = failure.how;
      failure.left--;
      if (how === 'status503-once') failure = undefined;
      const answers: Record<string, () => void> = {
        timeout: () => undefined, // never answers; the client's deadline ends it
        status500: () => {
          send(500, '{"Error":{"Code":"InternalServerError"}}');
        },
        'status503-once': () => {
          send(503, 'Service Unavailable', 'text/plain');
        },
        'not-json': () => {
          send(200, '<html><body>Gateway error</body></html>', 'text/html');
        },
        'no-items': () => {
          send(200, JSON.stringify({ BillingCurrency: 'USD', Count: 0 }));
        },
      };
      answers[how]?.();
      return;
    }

    const wanted = terms(filter);
    const matching = METERS.filter(
      (m) =>
        (!wanted.has('armSkuName') || wanted.get('armSkuName') === m.sku) &&
        (!wanted.has('armRegionName') || wanted.get('armRegionName') === m.region) &&
        (!wanted.has('serviceName') || wanted.get('serviceName') === 'Virtual Machines') &&
        (!wanted.has('priceType') || wanted.get('priceType') === 'Consumption'),
    );
    const page = matching.slice(skip, skip + PAGE_SIZE).map((m) => item(m, METERS.indexOf(m)));
    const more = skip + PAGE_SIZE < matching.length;
    const { port } = server.address() as AddressInfo;
    // Azure writes the default port explicitly (https://prices.azure.com:443/…); so does this.
    let next: string | null = more
      ? `http://127.0.0.1:${port}/api/retail/prices?$filter=${encodeURIComponent(filter)}&$skip=${skip + PAGE_SIZE}`
      : null;
    if (more && failure?.how === 'foreign-next-link' && failure.left > 0) {
      failure.left--;
      next = `http://198.51.100.7/api/retail/prices?$skip=${skip + PAGE_SIZE}`;
    }
    send(
      200,
      JSON.stringify({
        BillingCurrency: 'USD',
        CustomerEntityId: 'Default',
        CustomerEntityType: 'Retail',
        Items: page,
        NextPageLink: next,
        Count: page.length,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/retail/prices`,
    requests,
    fail(how, times = Number.POSITIVE_INFINITY) {
      failure = { how, left: times };
    },
    clear() {
      failure = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
