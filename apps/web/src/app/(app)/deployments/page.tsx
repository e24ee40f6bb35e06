import type { ListDeploymentsResponse } from '@airunway/schema';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Loading } from '~/components/states';
import { DeploymentsScreen } from '~/features/deployments/deployments-screen';
import { apiGetOnServer } from '~/server/api-fetch';

export const metadata: Metadata = { title: 'Deployments' };

export default async function DeploymentsPage() {
  // The list comes with the page, so it shows at first paint; the live stream takes over once
  // the page is interactive.
  const initial = await apiGetOnServer<ListDeploymentsResponse>('/deployments');
  return (
    <Suspense fallback={<Loading />}>
      <DeploymentsScreen initial={initial?.deployments} />
    </Suspense>
  );
}
