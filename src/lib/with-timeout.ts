/** `work`'s outcome, or a rejection with `message` (default `no answer in <ms> ms`) once `ms` have passed. */
export function withTimeout<T>(work: Promise<T>, ms: number, message = `no answer in ${ms} ms`): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
