'use client';
// Screen state kept in the query string (filters, tabs, pages), so it survives reloads and can
// be shared. Changes go through history.replaceState, which Next.js's router observes: the
// search params update without a server round trip on every keystroke.
import { useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

export function useSearchState(): [URLSearchParams, (changes: Record<string, string | undefined>) => void] {
  const params = useSearchParams();
  const update = useCallback((changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    const search = next.toString();
    window.history.replaceState(
      null,
      '',
      search ? `${window.location.pathname}?${search}` : window.location.pathname,
    );
  }, []);
  return [new URLSearchParams(params.toString()), update];
}
