'use client';
// Which rows of a long list are on screen, for a list that scrolls with the page. Rows have a
// fixed height, so the window is arithmetic: a thousand rows cost the DOM of about forty.
import { useCallback, useEffect, useState, type RefObject } from 'react';

export interface VirtualWindow {
  readonly start: number;
  readonly end: number;
  readonly paddingTop: number;
  readonly paddingBottom: number;
}

export function useWindowVirtual(
  anchor: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  overscan = 8,
): VirtualWindow {
  const compute = useCallback((): VirtualWindow => {
    const top = anchor.current ? anchor.current.getBoundingClientRect().top + window.scrollY : 0;
    const viewTop = window.scrollY - top;
    const viewBottom = viewTop + window.innerHeight;
    const start = Math.max(0, Math.floor(viewTop / rowHeight) - overscan);
    const end = Math.min(count, Math.ceil(viewBottom / rowHeight) + overscan);
    const safeEnd = Math.max(start, end);
    return {
      start,
      end: safeEnd,
      paddingTop: start * rowHeight,
      paddingBottom: Math.max(0, (count - safeEnd) * rowHeight),
    };
  }, [anchor, count, rowHeight, overscan]);

  // Before the first measurement, render the first screenful (also what the server renders).
  const [range, setRange] = useState<VirtualWindow>(() => {
    const end = Math.min(count, 30);
    return { start: 0, end, paddingTop: 0, paddingBottom: (count - end) * rowHeight };
  });

  useEffect(() => {
    let frame = 0;
    const update = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const next = compute();
        setRange((prev) =>
          prev.start === next.start && prev.end === next.end && prev.paddingBottom === next.paddingBottom
            ? prev
            : next,
        );
      });
    };
    update();
    window.addEventListener('scroll', update, { passive: true });
    window.addEventListener('resize', update);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', update);
      window.removeEventListener('resize', update);
    };
  }, [compute]);

  return range;
}
