import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';

/** Paste an API key; the server exchanges it for a session cookie and the key is not kept here. */
export function SignInScreen({ onSignedIn }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { data } = await api('/console/session', { method: 'POST', body: { api_key: key.trim() } });
      setKey('');
      onSignedIn(data);
    } catch (failure) {
      setError(failure.message);
    } finally {
      setBusy(false);
    }
  };
  return html`
    <main class="sign-in">
      <form class="panel" onSubmit=${submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to Semarize</h1>
        <p>Paste an API key. <code>npm start</code> prints one on first start; a test key (<code>smz_test_…</code>) shows the sandbox only.</p>
        <label for="api-key">API key</label>
        <input id="api-key" name="api_key" type="password" autocomplete="off" spellcheck="false"
          placeholder="smz_live_…" value=${key} onInput=${(e) => setKey(e.currentTarget.value)} required autofocus />
        ${error ? html`<p class="error" role="alert">${error}</p>` : null}
        <button type="submit" disabled=${busy || key.trim() === ''}>${busy ? 'Signing in…' : 'Sign in'}</button>
        <p class="small">The session lasts 12 hours, or until the key is revoked. The key itself is not stored in the browser.</p>
      </form>
    </main>
  `;
}
