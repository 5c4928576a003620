import { useEffect, useState } from 'preact/hooks';

import type { Store } from './live.js';

/** Milliseconds between renders of live data: a flood of events costs one render per tick. */
export const RENDER_INTERVAL_MS = 200;

/** Re-renders its caller each tick in which the store changed. */
export function useStoreTick(store: Store): number {
  const [version, setVersion] = useState(store.version);
  useEffect(() => {
    const timer = setInterval(() => setVersion(store.version), RENDER_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [store]);
  return version;
}
