import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Loading } from '~/components/states';
import { DeploymentScreen } from '~/features/deployment/deployment-screen';

interface Props {
  params: Promise<{ namespace: string; name: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: decodeURIComponent(name) };
}

export default async function DeploymentPage({ params }: Props) {
  const { namespace, name } = await params;
  return (
    <Suspense fallback={<Loading />}>
      <DeploymentScreen namespace={decodeURIComponent(namespace)} name={decodeURIComponent(name)} />
    </Suspense>
  );
}
