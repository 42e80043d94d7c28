import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { DateTime } from '../date-time.js';
import { html } from '../html.js';
import { ShownOnce } from '../shown-once.js';

/** Admin live keys: list, create (the secret shown once) and revoke. */
export function KeysScreen() {
  const [keys, setKeys] = useState(null);
  const [created, setCreated] = useState(null);
  const [error, setError] = useState(null);
  const [form, setForm] = useState({ name: '', role: 'runner', mode: 'live' });

  const load = () =>
    api('/v1/keys')
      .then(({ data }) => setKeys(data.data))
      .catch((failure) => setError(failure.message));
  useEffect(() => {
    load();
  }, []);

  const create = async (event) => {
    event.preventDefault();
    setError(null);
    try {
      const body = {
        role: form.role,
        mode: form.mode,
        ...(form.name.trim() ? { name: form.name.trim() } : {}),
      };
      const { data } = await api('/v1/keys', { method: 'POST', body });
      setCreated(data);
      setForm({ ...form, name: '' });
      load();
    } catch (failure) {
      setError(failure.message);
    }
  };
  const revoke = async (key) => {
    if (!confirm(`Revoke ${key.hint}? Requests and sessions with it stop working at once.`)) return;
    setError(null);
    try {
      await api(`/v1/keys/${key.id}/revoke`, { method: 'POST' });
      load();
    } catch (failure) {
      setError(failure.message);
    }
  };
  const field = (name) => (e) => setForm({ ...form, [name]: e.currentTarget.value });

  return html`<section class="panel">
    <h1>API keys</h1>
    <form class="filters" onSubmit=${create} aria-label="Create a key">
      <label>Name <input name="name" value=${form.name} onInput=${field('name')} maxlength="100" /></label>
      <label>Role <select name="role" value=${form.role} onChange=${field('role')}><option value="runner">runner</option><option value="admin">admin</option></select></label>
      <label>Mode <select name="mode" value=${form.mode} onChange=${field('mode')}><option value="live">live</option><option value="test">test</option></select></label>
      <button type="submit">Create key</button>
    </form>
    ${
      created
        ? html`<div class="created-key"><${ShownOnce} label="New API key" value=${created.secret} onDismiss=${() => setCreated(null)}>
      Key <span class="mono nowrap">${created.hint}</span> created. Copy it now: it is shown only once.
    <//></div>`
        : null
    }
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    ${
      keys === null
        ? html`<p>Loading…</p>`
        : html`<div class="table-wrap"><table class="keys">
      <thead><tr><th scope="col">Key</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Mode</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>${keys.map(
        (k) => html`<tr key=${k.id} data-key-id=${k.id}>
        <td class="mono nowrap">${k.hint}</td><td>${k.name ?? '—'}</td><td>${k.role}</td><td>${k.mode}</td>
        <td><${DateTime} iso=${k.created_at} /></td><td>${k.last_used_at ? html`<${DateTime} iso=${k.last_used_at} />` : 'never'}</td><td><${DateTime} iso=${k.expires_at} /></td>
        <td>${k.revoked_at ? html`revoked <${DateTime} iso=${k.revoked_at} />` : 'active'}</td>
        <td>${k.revoked_at ? null : html`<div class="row-actions"><button type="button" class="danger" onClick=${() => revoke(k)} aria-label=${`Revoke ${k.hint}`}>Revoke</button></div>`}</td>
      </tr>`,
      )}</tbody></table></div>`
    }
  </section>`;
}
