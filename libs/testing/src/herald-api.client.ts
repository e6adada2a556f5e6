/** A thin client of Herald's management API, for tests, benchmarks and the demo. */
export class HeraldApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  withToken(token: string): HeraldApiClient {
    return new HeraldApiClient(this.baseUrl, token);
  }

  /** Raw call: returns status and parsed body, never throws on HTTP errors. */
  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T };
  }

  /** Call that must succeed. */
  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request<T>(method, path, body);
    if (res.status >= 300)
      throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  createWorkspace(name: string): Promise<{ id: string }> {
    return this.call('POST', '/v1/workspaces', { name });
  }

  createApiKey(workspaceId: string, role: string, name = 'test'): Promise<{ key: string; id: string }> {
    return this.call('POST', `/v1/workspaces/${workspaceId}/api-keys`, { name, role });
  }

  createEndpoint(
    workspaceId: string,
    spec: Record<string, unknown>,
  ): Promise<{ id: string; secret: string } & Record<string, unknown>> {
    return this.call('POST', `/v1/workspaces/${workspaceId}/endpoints`, spec);
  }

  /** Admin token -> new workspace with an admin API key, returned as a client bound to that key. */
  async provisionWorkspace(
    name: string,
  ): Promise<{ workspaceId: string; apiKey: string; client: HeraldApiClient }> {
    const workspace = await this.createWorkspace(name);
    const key = await this.createApiKey(workspace.id, 'admin', `${name}-admin`);
    return { workspaceId: workspace.id, apiKey: key.key, client: this.withToken(key.key) };
  }
}

/** Polls `probe` until it returns a value that is not undefined. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `condition not met within ${timeoutMs} ms${lastError ? `: ${(lastError as Error).message}` : ''}`,
  );
}
