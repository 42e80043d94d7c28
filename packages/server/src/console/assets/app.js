import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, useSession } from './api.js';
import { html } from './html.js';
import { KeysScreen } from './screens/keys.js';
import { KitsScreen } from './screens/kits.js';
import { PlaygroundScreen } from './screens/playground.js';
import { RunDetailScreen } from './screens/run-detail.js';
import { RunsScreen } from './screens/runs.js';
import { SignInScreen } from './screens/sign-in.js';
import { WebhooksScreen } from './screens/webhooks.js';

/** Hash routes: the server serves one page, and a reload or a shared link lands on the same screen. */
function currentRoute() {
  const path = location.hash.replace(/^#/, '') || '/runs';
  const [pathname, query = ''] = path.split('?');
  const parts = pathname.split('/').filter(Boolean);
  return { parts, query: new URLSearchParams(query) };
}

export const canManageKeys = (session) => session.key.role === 'admin' && session.key.mode === 'live';
/** Webhook endpoints are admin business, in the key's own mode (SPEC §4, §9.1). */
export const canManageWebhooks = (session) => session.key.role === 'admin';

function Refused({ title, children }) {
  return html`<section class="panel"><h1>${title}</h1><p role="alert">${children}</p></section>`;
}

function Shell({ session, onSignOut, children, route }) {
  const here = route.parts[0] ?? 'runs';
  const link = (name, label) =>
    html`<a href=${`#/${name}`} aria-current=${here === name ? 'page' : undefined}>${label}</a>`;
  return html`
    <header class="top">
      <a class="brand" href="#/runs">Semarize</a>
      <nav aria-label="Console">
        ${link('runs', 'Runs')} ${link('playground', 'Playground')} ${link('kits', 'Kits')}
        ${canManageWebhooks(session) ? link('webhooks', 'Webhooks') : null}
        ${canManageKeys(session) ? link('keys', 'API keys') : null}
      </nav>
      <div class="who">
        <span class=${`badge mode-${session.key.mode}`}>${session.key.mode}</span>
        <span class="hint" title="Signed in with this key">${session.key.hint} · ${session.key.role}</span>
        <button type="button" class="quiet" onClick=${onSignOut}>Sign out</button>
      </div>
    </header>
    <main id="main">${children}</main>
  `;
}

function Screen({ route, session }) {
  const [first, second] = route.parts;
  if (first === 'runs' && second) return html`<${RunDetailScreen} runId=${second} session=${session} />`;
  if (first === 'playground') return html`<${PlaygroundScreen} session=${session} query=${route.query} />`;
  if (first === 'kits')
    return html`<${KitsScreen} session=${session} kitCode=${second} query=${route.query} />`;
  if (first === 'webhooks') {
    if (!canManageWebhooks(session))
      return html`<${Refused} title="Webhooks">Only an admin key can manage webhooks. You are signed in with a ${session.key.role} key.<//>`;
    return html`<${WebhooksScreen} session=${session} endpointId=${second} />`;
  }
  if (first === 'keys') {
    if (!canManageKeys(session))
      return html`<${Refused} title="API keys">Only a live admin key can manage API keys. You are signed in with a ${session.key.role} ${session.key.mode} key.<//>`;
    return html`<${KeysScreen} session=${session} />`;
  }
  return html`<${RunsScreen} session=${session} query=${route.query} />`;
}

function App() {
  const [session, setSession] = useState(undefined);
  const [route, setRoute] = useState(currentRoute());

  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    addEventListener('hashchange', onHash);
    api('/console/session')
      .then(({ data }) => setSession(data))
      .catch(() => setSession(null));
    return () => removeEventListener('hashchange', onHash);
  }, []);

  useSession(session?.csrf_token ?? null, () => setSession(null));

  if (session === undefined) return html`<p class="loading">Loading…</p>`;
  if (session === null) return html`<${SignInScreen} onSignedIn=${setSession} />`;
  const signOut = async () => {
    await api('/console/session', { method: 'DELETE' }).catch(() => {});
    setSession(null);
  };
  return html`<${Shell} session=${session} onSignOut=${signOut} route=${route}>
    <${Screen} route=${route} session=${session} />
  <//>`;
}

render(html`<${App} />`, document.getElementById('app'));
