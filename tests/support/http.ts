// A small HTTP client for API tests: real requests over the network stack to the app's port.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface CallOptions {
  token?: string;
  method?: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
  /** 'manual' to see a redirect (303) rather than the page it leads to. */
  redirect?: 'follow' | 'manual';
}

export function apiCaller(base: () => string) {
  return async function call(path: string, opts: CallOptions = {}) {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body = opts.body;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    const res = await fetch(`${base()}${path}`, { method: opts.method ?? 'GET', headers, body, redirect: opts.redirect ?? 'follow' });
    const text = await res.text();
    let json: Json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, type: res.headers.get('content-type') ?? '', text, json };
  };
}

/** The fields named by an error response. */
export const fieldsOf = (r: { json: Json }): string[] => (r.json?.error?.fields ?? []).map((f: { field: string }) => f.field);

/** Serves an app on an ephemeral loopback port; returns its base URL and a close function. */
export async function serve(app: { listen(port: number): import('node:http').Server }): Promise<{ base: string; close(): Promise<void> }> {
  const server = app.listen(0);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as import('node:net').AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
