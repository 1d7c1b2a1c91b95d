/** Signing in over HTTP (loopback) and checking a page once before loading it. */
const cookieOf = (res: Response, name: string): string | undefined => {
  for (const header of res.headers.getSetCookie()) {
    const [pair] = header.split(';');
    if (pair?.startsWith(`${name}=`)) return pair;
  }
  return undefined;
};

/** GET /login (anonymous session + CSRF token), POST /login → the signed-in session cookie ("qms_sid=…"). */
export async function signIn(base: string, username: string, password: string): Promise<string> {
  const page = await fetch(`${base}/login`, { redirect: 'manual' });
  const html = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const anon = cookieOf(page, 'qms_sid');
  if (!csrf || !anon) throw new Error(`no CSRF token or session on /login (status ${page.status})`);
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: anon },
    body: new URLSearchParams({ username, password, _csrf: csrf }).toString(),
  });
  const session = cookieOf(res, 'qms_sid');
  if (res.status !== 303 || !session) throw new Error(`sign-in of ${username} failed: ${res.status} ${(await res.text()).slice(0, 300)}`);
  return session;
}

/** One request: status, size and time, so a broken page is reported instead of benchmarked. */
export async function probe(url: string, cookie: string | undefined, timeoutSeconds = 120): Promise<{ status: number; bytes: number; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {}, signal: AbortSignal.timeout(timeoutSeconds * 1000) });
  const body = await res.arrayBuffer();
  return { status: res.status, bytes: body.byteLength, ms: performance.now() - t0 };
}

/** Waits until the server answers a cheap request quickly again (slow requests queued by the last run have finished). */
export async function settle(base: string, maxSeconds = 300): Promise<void> {
  const until = performance.now() + maxSeconds * 1000;
  while (performance.now() < until) {
    const t0 = performance.now();
    try {
      await (await fetch(`${base}/static/app.css`, { signal: AbortSignal.timeout(maxSeconds * 1000) })).arrayBuffer();
    } catch {
      /* still busy or restarting */
    }
    if (performance.now() - t0 < 250) return;
  }
}
