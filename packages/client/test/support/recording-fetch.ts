/** A request the SDK sent, as it went on the wire. */
export interface SentRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string | null;
}

/**
 * What to do with one exchange: let it through (`pass`), or let the server answer and then lose the
 * answer as a dropped connection or a proxy error would — so the server did the work, and the
 * client has to retry.
 */
export type Fault = 'pass' | 'drop-response' | { proxyStatus: number };

/**
 * A fetch that forwards to the real server, records every request, and injects the faults chosen
 * by `faultFor` (called once per request, in order).
 */
export function recordingFetch(faultFor: (request: SentRequest, index: number) => Fault = () => 'pass') {
  const sent: SentRequest[] = [];
  const listeners: ((request: SentRequest) => void)[] = [];

  const fetchImpl: typeof fetch = async (input, init) => {
    const request: SentRequest = {
      method: init?.method ?? 'GET',
      url: new URL(String(input)),
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : null,
    };
    sent.push(request);
    for (const listener of listeners) listener(request);
    const fault = faultFor(request, sent.length - 1);
    const response = await fetch(input, init);
    if (fault === 'pass') return response;
    await response.text();
    if (fault === 'drop-response') throw new TypeError('fetch failed (connection reset by test)');
    return new Response('<html>Bad Gateway</html>', {
      status: fault.proxyStatus,
      headers: { 'content-type': 'text/html' },
    });
  };

  return {
    fetch: fetchImpl,
    sent,
    /** Resolves with the first request, from now on, that `matches`. */
    nextRequest(matches: (request: SentRequest) => boolean): Promise<SentRequest> {
      return new Promise((resolve) => {
        const listener = (request: SentRequest) => {
          if (!matches(request)) return;
          listeners.splice(listeners.indexOf(listener), 1);
          resolve(request);
        };
        listeners.push(listener);
      });
    },
  };
}
