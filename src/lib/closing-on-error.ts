/**
 * Runs `work`; when it throws, closes `parts` (each quietly, in order) and rethrows the error. For
 * building something from parts already opened: a failure leaves none of them open.
 */
export async function closingOnError<T>(
  parts: readonly { close(): Promise<void> }[],
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    for (const part of parts) await part.close().catch(() => {});
    throw error;
  }
}
