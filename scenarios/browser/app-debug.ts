/**
 * The app's own records (its debug port, never through the proxy), from every replica of a stack that runs
 * several (B20): whichever replica the proxy sent a request to holds its record, so a scenario reads them all.
 */
export async function appRecords<T>(stack: { readonly appDebugUrls: readonly string[] }, path: string): Promise<T[]> {
  return Promise.all(stack.appDebugUrls.map(async (url) => (await (await fetch(`${url}${path}`)).json()) as T));
}

/** One list from each replica's record, joined. */
export async function appList<K extends string, T>(
  stack: { readonly appDebugUrls: readonly string[] },
  path: string,
  key: K,
): Promise<T[]> {
  return (await appRecords<Record<K, T[]>>(stack, path)).flatMap((r) => r[key]);
}
