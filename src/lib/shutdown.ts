/**
 * Runs `stop` on the first SIGTERM/SIGINT, bounded by `timeoutMs`; a second signal exits at once.
 * Returns a function that removes the handlers.
 */
export function onShutdownSignal(
  stop: () => Promise<void>,
  options: { timeoutMs: number; log: (msg: string) => void; exit?: (code: number) => void },
): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      options.log(`${signal} again: exiting now`);
      exit(130);
      return;
    }
    stopping = true;
    options.log(`${signal}: shutting down (up to ${options.timeoutMs} ms; send again to exit now)`);
    const timer = setTimeout(() => {
      options.log('shutdown timed out: exiting');
      exit(1);
    }, options.timeoutMs);
    timer.unref();
    stop().then(
      () => {
        clearTimeout(timer);
        exit(0);
      },
      (error: unknown) => {
        options.log(`shutdown failed: ${String(error)}`);
        exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}
