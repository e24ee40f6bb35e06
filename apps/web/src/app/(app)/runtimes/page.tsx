import { PROVIDER_CATALOGUE } from '@airunway/providers';
import type { Metadata } from 'next';
import { RuntimesScreen } from '~/features/runtimes/runtimes-screen';
import type { ProviderInstallInfo } from '~/features/runtimes/provider-info';

export const metadata: Metadata = { title: 'Runtimes' };

function providers(): ProviderInstallInfo[] {
  return Object.values(PROVIDER_CATALOGUE).map((p) => ({
    id: p.id,
    displayName: p.displayName,
    description: p.description,
    documentationUrl: p.documentationUrl,
    ...(p.install
      ? {
          install: {
            chart: p.install.chart,
            version: p.install.version,
            release: p.install.release,
            namespace: p.install.namespace,
            notes: [...p.install.notes],
          },
        }
      : {}),
  }));
}

export default function RuntimesPage() {
  return <RuntimesScreen providers={providers()} />;
}
