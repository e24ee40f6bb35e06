// The dashboard server's configuration, read once from the environment. Only server code
// imports this module: nothing here may reach the browser bundle.
import { z } from 'zod';

export interface WebConfig {
  /** Where the AI Runway API listens; /api and /trpc are forwarded there. */
  readonly apiUrl: URL;
  /**
   * Whether the session cookie carries `Secure`. `auto` sets it when the request came in over
   * HTTPS (directly or as a TLS-terminating proxy says in X-Forwarded-Proto).
   */
  readonly secureCookies: 'auto' | 'always' | 'never';
  /** How long a sign-in lasts, in seconds. */
  readonly sessionMaxAge: number;
}

const EnvSchema = z.object({
  AIRUNWAY_API_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3001'),
  AIRUNWAY_SECURE_COOKIES: z.enum(['auto', 'always', 'never']).default('auto'),
  AIRUNWAY_SESSION_MAX_AGE: z.coerce.number().int().min(60).max(604_800).default(28_800),
});

let parsed: WebConfig | undefined;

export function webConfig(): WebConfig {
  if (parsed) return parsed;
  // An empty variable means unset, as in a shell.
  const present = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ''));
  const result = EnvSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment:\n  ${lines.join('\n  ')}`);
  }
  const env = result.data;
  parsed = {
    apiUrl: new URL(env.AIRUNWAY_API_URL),
    secureCookies: env.AIRUNWAY_SECURE_COOKIES,
    sessionMaxAge: env.AIRUNWAY_SESSION_MAX_AGE,
  };
  return parsed;
}
