// A stand-in for the HuggingFace Hub on 127.0.0.1 (tests have no outside network): the model
// search the API calls, answered in the Hub's own shape — safetensors parameter counts,
// config.architectures, gated as false or "manual" — from a small, fixed set of repositories.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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

export interface HubStandIn {
  readonly url: string;
  close(): Promise<void>;
}

export async function startHub(): Promise<HubStandIn> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    if (req.method === 'GET' && url.pathname === '/api/models') {
      const words = (url.searchParams.get('search') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const found = MODELS.filter((m) => words.every((w) => m.id.toLowerCase().includes(w)))
        .sort((a, b) => b.downloads - a.downloads)
        .slice(0, limit)
        .map(hubModel);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(found));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'Repository not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
