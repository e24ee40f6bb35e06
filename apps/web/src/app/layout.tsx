import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { themePreference } from '~/server/preferences';
import './globals.css';
import { QueryProvider } from './query-provider';

export const metadata: Metadata = {
  title: { default: 'AI Runway', template: '%s · AI Runway' },
  description: 'Run LLM inference on Kubernetes: find a model, deploy it, watch it serve.',
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f6f7f9' },
    { media: '(prefers-color-scheme: dark)', color: '#0e1116' },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = await themePreference();
  return (
    <html lang="en" {...(theme !== 'system' ? { 'data-theme': theme } : {})}>
      <body>
        <QueryProvider>{children}</QueryProvider>
      </body>
    </html>
  );
}
