import { useEffect, useRef } from 'preact/hooks';

/**
 * Runs `tick` now and then every `intervalMs` while the page is visible and `active` holds; the next
 * tick waits for the previous one, so a slow API never piles up requests.
 */
export function usePoll(
  tick: () => Promise<unknown>,
  intervalMs: number,
  active: boolean,
  deps: unknown[],
): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      timer = undefined;
      if (stopped || document.visibilityState !== 'visible') return;
      try {
        await latest.current();
      } finally {
        if (!stopped && document.visibilityState === 'visible') timer = setTimeout(run, intervalMs);
      }
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible' && timer === undefined) void run();
    };
    document.addEventListener('visibilitychange', onVisibility);
    void run();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [active, intervalMs, ...deps]);
}
