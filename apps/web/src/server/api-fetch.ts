// Reads from the API while a page renders on the server, with the signed-in user's token, so a
// screen can arrive with its data in the first response. Any failure yields undefined: the
// screen then loads on the client and shows the error there, in its usual place.
import { cookies } from 'next/headers';
import { webConfig } from './config';
import { SESSION_COOKIE } from './session';

export async function apiGetOnServer<T>(path: string, timeoutMs = 3_000): Promise<T | undefined> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  try {
    const response = await fetch(new URL(`/api${path}`, webConfig().apiUrl), {
      headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      cache: 'no-store',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response.ok ? ((await response.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}
