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
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith('/console/session')) onSignedOut();
    throw new ApiFailure(response.status, data);
  }
  return { data, headers: response.headers, status: response.status };
}
