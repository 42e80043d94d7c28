// The console talks to the same public /v1 API as every client; its session cookie is the
// credential, and every write carries the session's CSRF token.
let csrfToken = null;
let onSignedOut = () => {};

export function useSession(token, signedOut) {
  csrfToken = token;
  onSignedOut = signedOut;
}

export class ApiFailure extends Error {
  constructor(status, body) {
    super(body?.message ?? `The server answered ${status}.`);
    this.status = status;
    this.code = body?.error ?? 'http_error';
    this.body = body;
  }
}

export async function api(path, { method = 'GET', body, headers = {}, signal } = {}) {
  const sent = { accept: 'application/json', ...headers };
  if (body !== undefined) sent['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) sent['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers: sent,
    credentials: 'same-origin',
    // Our own If-None-Match, not the browser's cache, decides what a poll gets (see poll()).
    cache: 'no-store',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(signal ? { signal } : {}),
  });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (response.status === 304) return { data: null, headers: response.headers, status: 304 };
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith('/console/session')) onSignedOut();
    throw new ApiFailure(response.status, data);
  }
  return { data, headers: response.headers, status: response.status };
}

/** The last answer and ETag of each polled path. */
const polled = new Map();

/**
 * A GET that is repeated: it sends the last ETag and, on 304, returns the last answer unchanged
 * (`changed: false`), so a poll that finds nothing new costs no body and no re-render.
 */
export async function poll(path) {
  const last = polled.get(path);
  const { data, headers, status } = await api(path, last ? { headers: { 'if-none-match': last.etag } } : {});
  if (status === 304 && last) return { data: last.data, changed: false };
  const etag = headers.get('etag');
  if (etag) polled.set(path, { etag, data });
  // Only the latest few paths are worth remembering.
  if (polled.size > 20) polled.delete(polled.keys().next().value);
  return { data, changed: true };
}
