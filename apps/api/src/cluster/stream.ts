// Requests whose answer is not JSON: pod logs (text, possibly followed for hours) and pod
// metrics through the apiserver's proxy. KubeClient.requestStream keeps the client's identity
// (the caller's token), its connection pools, metrics and error mapping (a Kubernetes Status
// becomes KubeApiError).
import type { KubeClient, KubeRequest } from '@airunway/kube';

/** The whole answer as text, within `timeoutMs`. */
export async function requestText(client: KubeClient, req: KubeRequest, timeoutMs = 30_000): Promise<string> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const response = await client.requestStream({ ...req, signal });
  return response.text();
}

/** Lines of a streamed text body, as they arrive; the last partial line when it ends. */
export async function* textLines(body: ReadableStream<Uint8Array> | null): AsyncGenerator<string> {
  if (!body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      yield buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf('\n');
    }
  }
  buffer += decoder.decode();
  if (buffer) yield buffer;
}
