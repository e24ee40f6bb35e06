// Servers on 127.0.0.1 that play the parts of a real cluster the control plane here lacks:
// a kubelet serving container logs (the apiserver reaches it through a Node whose address and
// kubelet port point here) and a model server's Prometheus endpoint. Responses have the shapes
// the real ones have; nothing in the API is replaced.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Fixture {
  readonly port: number;
  /** Request paths with their query, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

function listen(server: Server, requests: string[]): Promise<Fixture> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => {
              done();
            });
          }),
      });
    });
  });
}

/** A self-signed certificate for 127.0.0.1 (openssl, as the test control plane makes its own). */
function certificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'airunway-kubelet-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=kubelet',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** vLLM-style log lines, coloured as its logger colours them. */
export const LOG_LINES = [
  '\x1b[32mINFO\x1b[0m 01-15 10:30:00 [api_server.py] vLLM API server version 0.28.0',
  '\x1b[32mINFO\x1b[0m 01-15 10:30:05 [loader.py] Model loaded successfully',
  '\x1b[32mINFO\x1b[0m 01-15 10:30:06 [launcher.py] Server started on port 8000',
];

/**
 * The kubelet's GET /containerLogs/{namespace}/{pod}/{container}: tailLines, timestamps, and
 * follow (four more lines, 50 ms apart, then the end of the stream).
 */
export function startKubeletFixture(): Promise<Fixture> {
  const requests: string[] = [];
  const server = createHttpsServer(certificate(), (req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const match = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const container = match[3] ?? '';
    const stamp = (line: string, i: number) =>
      url.searchParams.get('timestamps') === 'true' ? `2026-01-15T10:30:0${i}.000000000Z ${line}` : line;
    const lines = LOG_LINES.map((l) => `${l} (${container})`);
    const tail = Number(url.searchParams.get('tailLines') ?? lines.length);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    for (const [i, line] of lines.slice(-tail).entries()) res.write(`${stamp(line, i)}\n`);
    if (url.searchParams.get('follow') !== 'true') {
      res.end();
      return;
    }
    let n = 0;
    const timer = setInterval(() => {
      res.write(`\x1b[33mWARN\x1b[0m request ${n++}\n`);
      if (n === 4) {
        clearInterval(timer);
        res.end();
      }
    }, 50);
    res.on('close', () => {
      clearInterval(timer);
    });
  });
  return listen(server, requests);
}

/** A vLLM server's /metrics (Prometheus text, as prometheus_client writes it). */
export const VLLM_METRICS = `# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{engine="0",model_name="Qwen/Qwen3-0.6B"} 5.0
# HELP vllm:gpu_cache_usage_perc GPU KV-cache usage. 1 means 100 percent usage.
# TYPE vllm:gpu_cache_usage_perc gauge
vllm:gpu_cache_usage_perc{engine="0",model_name="Qwen/Qwen3-0.6B"} 0.452
# HELP vllm:prompt_tokens_total Number of prefill tokens processed.
# TYPE vllm:prompt_tokens_total counter
vllm:prompt_tokens_total{engine="0",model_name="Qwen/Qwen3-0.6B"} 1024.0
# HELP python_gc_objects_collected_total Objects collected during gc
# TYPE python_gc_objects_collected_total counter
python_gc_objects_collected_total{generation="0"} 8711.0
`;

export function startMetricsFixture(body = VLLM_METRICS): Promise<Fixture> {
  const requests: string[] = [];
  const server = createHttpServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(body);
  });
  return listen(server, requests);
}
