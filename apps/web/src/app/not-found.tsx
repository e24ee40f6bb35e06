import { ButtonLink } from '~/components/button';
import { EmptyState } from '~/components/states';

export default function NotFound() {
  return (
    <main style={{ padding: 48 }}>
      <EmptyState
        icon="search"
        title="This page does not exist"
        actions={
          <ButtonLink href="/models" variant="primary">
            Go to Models
          </ButtonLink>
        }
      />
    </main>
  );
}
