/**
 * A trailing throttle: `fn` runs at most once per `ms`, and always once after the last trigger, so
 * a burst of training events (dozens a second) becomes a few re-fetches, never a lost final one.
 */
export interface Throttled {
  (): void;
  /** Run now if a call is pending. */
  flush(): void;
  cancel(): void;
}

export function throttle(fn: () => void, ms: number): Throttled {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending = false;
  let last = 0;

  const run = () => {
    timer = null;
    pending = false;
    last = Date.now();
    fn();
  };

  const throttled = (() => {
    pending = true;
    if (timer) return;
    const wait = Math.max(0, last + ms - Date.now());
    timer = setTimeout(run, wait);
  }) as Throttled;

  throttled.flush = () => {
    if (!pending) return;
    if (timer) clearTimeout(timer);
    run();
  };
  throttled.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    pending = false;
  };
  return throttled;
}
