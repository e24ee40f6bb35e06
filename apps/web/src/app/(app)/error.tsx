'use client';
// Anything a screen throws while rendering lands here instead of a blank page.
import { Button } from '~/components/button';
import { ErrorState } from '~/components/states';

export default function ScreenError({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <ErrorState
      title="This screen failed"
      error={error}
      actions={<Button onClick={reset}>Try again</Button>}
    />
  );
}
