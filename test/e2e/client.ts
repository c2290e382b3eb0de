/** A small HTTP client for tests that drive the platform over real HTTP. */
export interface Reply {
  status: number;
  /** What the API returned, as parsed JSON (tests read it freely). */
  body: any;
  headers: Headers;
}

export function httpClient(baseUrl: () => string) {
  async function call(method: string, path: string, key: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  /** Polls the case until it reaches `stage` (workflows move it asynchronously). */
  async function until(caseId: string, key: string, stage: string, tries = 200) {
    for (let i = 0; i < tries; i++) {
      const res = await call('GET', `/v1/cases/${caseId}`, key);
      if (res.body?.stage === stage) return res.body;
      await new Promise((r) => setTimeout(r, 50));
    }
    const last = await call('GET', `/v1/cases/${caseId}`, key);
    throw new Error(`case ${caseId} never reached ${stage} (at ${last.body?.stage}; ${last.body?.timeline?.map((e: { kind: string }) => e.kind).join(', ')})`);
  }

  return { call, until };
}
