// The dashboard's Next.js configuration. The browser only ever talks to this server: pages,
// and /api and /trpc, which route handlers forward to the AI Runway API with the signed-in
// user's token (see src/app/api and src/server/forward.ts).
import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The API answers /api and /trpc; trailing-slash redirects would break its routes.
  skipTrailingSlashRedirect: true,
  headers() {
    return Promise.resolve([
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
    ]);
  },
};

export default config;
