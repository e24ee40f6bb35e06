// A stand-in for the HuggingFace Hub (tests have no outside network): the model search the API
// calls, answered in the Hub's own shape — safetensors parameter counts, config.architectures,
// gated as false or "manual" — from a small, fixed set of repositories; and the sign-in (consent
// page, token endpoint checking PKCE, whoami-v2) from @airunway/testenv's HubOAuth.
// It listens on 127.0.0.2, another site than the dashboard's 127.0.0.1 as huggingface.co is: the
// browser then treats the return from the consent page as the cross-site navigation it is in
// production (no SameSite=Strict session cookie on it).
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HubOAuth, sendHubReply } from '@airunway/testenv/hub-oauth';

interface HubModel {
  readonly id: string;
  readonly downloads: number;
  readonly gated: false | 'manual';
  readonly architecture: string;
  readonly parameters: number;
}

const MODELS: readonly HubModel[] = [
  {
    id: 'Qwen/Qwen3-0.6B',
    downloads: 6_123_456,
    gated: false,
    architecture: 'Qwen3ForCausalLM',
    parameters: 751_632_384,
  },
  {
    id: 'Qwen/Qwen3-8B',
    downloads: 2_934_120,
    gated: false,
    architecture: 'Qwen3ForCausalLM',
    parameters: 8_190_735_360,
  },
  {
    id: 'Qwen/Qwen3-32B',
    downloads: 1_204_332,
    gated: false,
    architecture: 'Qwen3ForCausalLM',
    parameters: 32_762_123_264,
  },
  {
    id: 'meta-llama/Llama-3.1-8B-Instruct',
    downloads: 5_402_117,
    gated: 'manual',
    architecture: 'LlamaForCausalLM',
    parameters: 8_030_261_248,
  },
  {
    id: 'meta-llama/Llama-3.1-405B-Instruct',
    downloads: 301_554,
    gated: 'manual',
    architecture: 'LlamaForCausalLM',
    parameters: 405_853_388_800,
  },
  // Enough fine-tunes of one family to need a second page of results.
  ...Array.from({ length: 24 }, (_, i) => ({
    id: `e2e-lab/qwen3-0.6b-chat-v${String(i + 1).padStart(2, '0')}`,
    downloads: 10_000 - i * 100,
    gated: false as const,
    architecture: 'Qwen3ForCausalLM',
    parameters: 751_632_384,
  })),
];

function hubModel(m: HubModel) {
  const [author] = m.id.split('/');
  return {
    _id: m.id.replace(/\W/g, ''),
    id: m.id,
    author,
    downloads: m.downloads,
    likes: Math.round(m.downloads / 5000),
    pipeline_tag: 'text-generation',
    library_name: 'transformers',
    tags: ['transformers', 'safetensors', 'text-generation', 'conversational'],
    gated: m.gated,
    config: {
      architectures: [m.architecture],
      model_type: m.architecture.replace(/ForCausalLM$/, '').toLowerCase(),
    },
    safetensors: { parameters: { BF16: m.parameters }, total: m.parameters },
  };
}

/** The OAuth app the API signs users in with (HF_CLIENT_ID). */
export const HUB_CLIENT_ID = 'airunway-e2e';
const HOST = '127.0.0.2';

export interface HubStandIn {
  readonly url: string;
  readonly clientId: string;
  close(): Promise<void>;
}

export async function startHub(): Promise<HubStandIn> {
  const oauth = new HubOAuth(HUB_CLIENT_ID);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const signIn = oauth.handle(
        req.method ?? 'GET',
        url,
        Buffer.concat(chunks).toString(),
        req.headers.authorization,
      );
      if (signIn) sendHubReply(res, signIn);
      else search(req.method, url, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${HOST}:${port}`,
    clientId: HUB_CLIENT_ID,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** GET /api/models: every word of `search` in the id, most downloaded first. */
function search(method: string | undefined, url: URL, res: ServerResponse): void {
  if (method !== 'GET' || url.pathname !== '/api/models') {
    sendHubReply(res, { status: 404, body: { error: 'Repository not found' } });
    return;
  }
  const words = (url.searchParams.get('search') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const limit = Number(url.searchParams.get('limit') ?? 20);
  const found = MODELS.filter((m) => words.every((w) => m.id.toLowerCase().includes(w)))
    .sort((a, b) => b.downloads - a.downloads)
    .slice(0, limit)
    .map(hubModel);
  sendHubReply(res, { status: 200, body: found });
}
