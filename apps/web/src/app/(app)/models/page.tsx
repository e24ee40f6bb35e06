import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Loading } from '~/components/states';
import { ModelsScreen } from '~/features/models/models-screen';

export const metadata: Metadata = { title: 'Models' };

export default function ModelsPage() {
  return (
    <Suspense fallback={<Loading />}>
      <ModelsScreen />
    </Suspense>
  );
}
