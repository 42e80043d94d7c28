/** A moment a test holds open: work that awaits `passed` goes on once the test calls `open`. */
export function gate(): { passed: Promise<void>; open(): void } {
  let open = () => {};
  const passed = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { passed, open };
}

/**
 * Lets the event loop turn `turns` times: work already woken runs meanwhile, and no timer of a
 * second can fire unless the loop itself stalled that long. For "this did not happen" checks.
 */
export async function eventLoopTurns(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}
