import { PROVIDER_CATALOGUE } from '@airunway/providers';
import type { Metadata } from 'next';
import { ButtonLink } from '~/components/button';
import { PageHeader } from '~/components/page-header';
import { EmptyState } from '~/components/states';
import { DeployScreen } from '~/features/deploy/deploy-screen';
import type { ProviderOption } from '~/features/deploy/provider-options';

export const metadata: Metadata = { title: 'Deploy' };

function providerOptions(): ProviderOption[] {
  return Object.values(PROVIDER_CATALOGUE).map((p) => ({
    id: p.id,
    displayName: p.displayName,
    description: p.description,
    documentationUrl: p.documentationUrl,
    engines: p.capabilities.engines.map((e) => ({
      engine: e.engine,
      servingModes: [...e.servingModes],
      gpu: e.gpu,
      cpu: e.cpu,
    })),
  }));
}

export default async function DeployPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { model } = await searchParams;
  if (typeof model !== 'string' || !model)
    return (
      <>
        <PageHeader title="Deploy a model" />
        <EmptyState
          icon="models"
          title="Choose a model first"
          actions={
            <ButtonLink href="/models" variant="primary">
              Browse models
            </ButtonLink>
          }
        >
          Pick a model from the catalog or a HuggingFace search; its Deploy button brings you back here.
        </EmptyState>
      </>
    );
  return <DeployScreen key={model} modelId={model} providers={providerOptions()} />;
}
