import { useEffect, useState } from 'preact/hooks';
import { api, poll } from '../api.js';
import { formatDate, formatDuration } from '../format.js';
import { html } from '../html.js';
import { ShownOnce } from '../shown-once.js';

const EVENTS = ['run.succeeded', 'run.failed', 'run.cancelled'];
/** The deliveries log refreshes itself this often, so a retry or a redelivery shows up. */
export const DELIVERIES_POLL_MS = 2_000;

const emptyForm = () => ({ url: '', description: '', events: [...EVENTS], payload: 'full' });

/** Webhook endpoints of this key's mode (SPEC §4): create, edit, enable/disable, delete, test, rotate. */
export function WebhooksScreen({ session, endpointId }) {
  const [endpoints, setEndpoints] = useState(null);
  const [error, setError] = useState(null);
  const [secret, setSecret] = useState(null);
  const [editing, setEditing] = useState(null); // null: closed; 'new'; or an endpoint id
  const [notice, setNotice] = useState(null);

  const load = () =>
    api('/v1/webhooks')
      .then(({ data }) => setEndpoints(data.data))
      .catch((failure) => setError(failure.message));
  useEffect(() => {
    load();
  }, []);

  /** Runs a write, then reloads; a refusal is shown, not thrown. */
  const act = async (write, done) => {
    setError(null);
    setNotice(null);
    try {
      const result = await write();
      await load();
      done?.(result);
    } catch (failure) {
      setError(failure.message);
    }
  };

  const save = (form) =>
    act(
      () =>
        editing === 'new'
          ? api('/v1/webhooks', { method: 'POST', body: form })
          : api(`/v1/webhooks/${editing}`, { method: 'PATCH', body: form }),
      ({ data }) => {
        if (data.secret) setSecret({ id: data.id, secret: data.secret, what: 'created' });
        setEditing(null);
      },
    );
  const toggle = (endpoint) =>
    act(() => api(`/v1/webhooks/${endpoint.id}`, { method: 'PATCH', body: { enabled: !endpoint.enabled } }));
  const remove = (endpoint) => {
    if (!confirm(`Delete the endpoint ${endpoint.url}? Its undelivered deliveries fail.`)) return;
    act(() => api(`/v1/webhooks/${endpoint.id}`, { method: 'DELETE' }));
  };
  const sendTest = (endpoint) =>
    act(
      () => api(`/v1/webhooks/${endpoint.id}/test`, { method: 'POST' }),
      () => {
        setNotice(`A ping event is on its way to ${endpoint.url}.`);
        location.hash = `#/webhooks/${endpoint.id}`;
      },
    );
  const rotate = (endpoint) => {
    if (!confirm('Rotate the signing secret? The old one keeps signing, beside the new one, for 24 hours.'))
      return;
    act(
      () => api(`/v1/webhooks/${endpoint.id}/rotate-secret`, { method: 'POST' }),
      ({ data }) =>
        setSecret({
          id: data.id,
          secret: data.secret,
          what: 'rotated',
          until: data.previous_secret_expires_at,
        }),
    );
  };

  const selected = endpoints?.find((e) => e.id === endpointId) ?? null;
  return html`<section class="panel">
    <div class="heading">
      <h1>Webhooks <span class="small">(${session.key.mode} endpoints)</span></h1>
      <button type="button" onClick=${() => setEditing('new')} disabled=${editing === 'new'}>Add endpoint</button>
    </div>
    ${editing === 'new' ? html`<${EndpointForm} title="New endpoint" initial=${emptyForm()} onSave=${save} onCancel=${() => setEditing(null)} />` : null}
    ${
      secret
        ? html`<${ShownOnce} label="Signing secret" value=${secret.secret} onDismiss=${() => setSecret(null)}>
        ${secret.what === 'created' ? 'Endpoint created. ' : `Secret rotated; the previous one also signs until ${formatDate(secret.until)}. `}
        Copy the signing secret now: it is shown only once.
      <//>`
        : null
    }
    ${notice ? html`<p class="notice" role="status">${notice}</p>` : null}
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    ${
      endpoints === null
        ? html`<p>Loading…</p>`
        : endpoints.length === 0
          ? html`<p class="empty">No endpoints yet. Add one to receive run events.</p>`
          : html`<div class="table-wrap"><table class="endpoints">
      <thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">Payload</th><th scope="col">State</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>${endpoints.map(
        (
          e,
        ) => html`<tr key=${e.id} data-endpoint-id=${e.id} class=${e.id === endpointId ? 'current' : undefined}>
        <td><a href=${`#/webhooks/${e.id}`} class="mono break">${e.url}</a>${e.description ? html`<div class="small">${e.description}</div>` : null}</td>
        <td class="small">${e.events.join(', ')}</td>
        <td>${e.payload}</td>
        <td>${e.enabled ? html`<span class="status status-succeeded">enabled</span>` : html`<span class="status status-cancelled">disabled${e.disabled_reason ? ` (${e.disabled_reason})` : ''}</span>`}
          ${e.failing_since ? html`<div class="small error">failing since ${formatDate(e.failing_since)}</div>` : null}</td>
        <td><div class="row-actions">
          <button type="button" class="quiet" onClick=${() => setEditing(e.id)} aria-label=${`Edit ${e.url}`}>Edit</button>
          <button type="button" class="quiet" onClick=${() => toggle(e)} aria-label=${`${e.enabled ? 'Disable' : 'Enable'} ${e.url}`}>${e.enabled ? 'Disable' : 'Enable'}</button>
          <button type="button" class="quiet" onClick=${() => sendTest(e)} disabled=${!e.enabled} aria-label=${`Send a test event to ${e.url}`}>Send test</button>
          <button type="button" class="quiet" onClick=${() => rotate(e)} aria-label=${`Rotate the secret of ${e.url}`}>Rotate secret</button>
          <button type="button" class="danger" onClick=${() => remove(e)} aria-label=${`Delete ${e.url}`}>Delete</button>
        </div></td>
      </tr>`,
      )}</tbody></table></div>`
    }
    ${
      editing && editing !== 'new'
        ? html`<${EndpointForm} key=${editing} title="Edit endpoint" initial=${endpoints?.find((e) => e.id === editing) ?? emptyForm()}
          onSave=${save} onCancel=${() => setEditing(null)} />`
        : null
    }
  </section>
  ${selected ? html`<${Deliveries} endpoint=${selected} />` : null}`;
}

function EndpointForm({ title, initial, onSave, onCancel }) {
  const [form, setForm] = useState({
    url: initial.url,
    description: initial.description,
    events: [...initial.events],
    payload: initial.payload,
  });
  const toggleEvent = (name) =>
    setForm({
      ...form,
      events: form.events.includes(name) ? form.events.filter((e) => e !== name) : [...form.events, name],
    });
  const submit = (event) => {
    event.preventDefault();
    onSave({ ...form, url: form.url.trim() });
  };
  return html`<form class="endpoint-form" onSubmit=${submit} aria-label=${title}>
    <h2>${title}</h2>
    <label for="endpoint-url">URL</label>
    <input id="endpoint-url" name="url" type="url" required value=${form.url} placeholder="https://example.com/hooks/semarize"
      onInput=${(e) => setForm({ ...form, url: e.currentTarget.value })} />
    <label for="endpoint-description">Description</label>
    <input id="endpoint-description" name="description" maxlength="500" value=${form.description}
      onInput=${(e) => setForm({ ...form, description: e.currentTarget.value })} />
    <fieldset>
      <legend>Events</legend>
      ${EVENTS.map(
        (name) => html`<label class="choice"><input type="checkbox" name="events" value=${name}
          checked=${form.events.includes(name)} onChange=${() => toggleEvent(name)} /> ${name}</label>`,
      )}
    </fieldset>
    <label for="endpoint-payload">Payload</label>
    <select id="endpoint-payload" name="payload" value=${form.payload} onChange=${(e) => setForm({ ...form, payload: e.currentTarget.value })}>
      <option value="full">full (the run with its output)</option>
      <option value="thin">thin (the run without its output)</option>
    </select>
    <div class="form-actions">
      <button type="submit" disabled=${form.events.length === 0}>Save endpoint</button>
      <button type="button" class="quiet" onClick=${onCancel}>Cancel</button>
    </div>
  </form>`;
}

/** An endpoint's deliveries, newest first, each with every attempt it took. */
function Deliveries({ endpoint }) {
  const [page, setPage] = useState(null);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);

  const load = () =>
    poll(`/v1/webhooks/${endpoint.id}/deliveries?limit=25`)
      .then(({ data, changed }) => {
        if (changed) setPage(data);
        setError(null);
      })
      .catch((failure) => setError(failure.message));
  useEffect(() => {
    let stopped = false;
    let timer = null;
    const tick = async () => {
      if (document.visibilityState !== 'hidden') await load();
      if (!stopped) timer = setTimeout(tick, DELIVERIES_POLL_MS);
    };
    tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [endpoint.id]);

  const redeliver = async (delivery) => {
    setNotice(null);
    try {
      await api(`/v1/webhook-deliveries/${delivery.id}/redeliver`, { method: 'POST' });
      setNotice(`Delivery ${delivery.id} queued again.`);
      await load();
    } catch (failure) {
      setNotice(failure.message);
    }
  };

  return html`<section class="panel deliveries" aria-labelledby="deliveries-title">
    <h2 id="deliveries-title">Deliveries to <span class="mono break">${endpoint.url}</span></h2>
    <p class="small live" aria-live="off">Updates every ${DELIVERIES_POLL_MS / 1_000} s</p>
    ${notice ? html`<p class="notice" role="status">${notice}</p>` : null}
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    ${
      page === null
        ? html`<p>Loading…</p>`
        : page.data.length === 0
          ? html`<p class="empty">No deliveries yet. Finished runs of this mode and test events appear here.</p>`
          : page.data.map(
              (d) =>
                html`<${DeliveryCard} key=${d.id} delivery=${d} onRedeliver=${() => redeliver(d)} canRedeliver=${endpoint.enabled} />`,
            )
    }
  </section>`;
}

function DeliveryCard({ delivery: d, onRedeliver, canRedeliver }) {
  return html`<article class="delivery" data-delivery-id=${d.id} aria-label=${`Delivery ${d.id}`}>
    <div class="delivery-head">
      <span class=${`status status-${d.status === 'pending' ? 'queued' : d.status}`}>${d.status}</span>
      <strong>${d.event_type}</strong>
      ${d.run_id ? html`<a class="mono small" href=${`#/runs/${d.run_id}`}>${d.run_id}</a>` : null}
      <span class="small">${formatDate(d.created_at)}</span>
      ${d.next_attempt_at ? html`<span class="small">next attempt ${formatDate(d.next_attempt_at)}</span>` : null}
      <button type="button" class="quiet" onClick=${onRedeliver} disabled=${!canRedeliver || d.status === 'delivering'}
        aria-label=${`Redeliver ${d.id}`}>Redeliver</button>
    </div>
    ${
      d.attempt_log.length === 0
        ? html`<p class="small">No attempt yet.</p>`
        : html`<div class="table-wrap"><table class="attempts">
      <thead><tr><th scope="col">Attempt</th><th scope="col">Sent</th><th scope="col">Status code</th><th scope="col">Latency</th><th scope="col">Error or response</th></tr></thead>
      <tbody>${d.attempt_log.map(
        (a) => html`<tr key=${a.attempt} data-attempt=${a.attempt}>
        <td>${a.attempt}</td><td>${formatDate(a.started_at)}</td>
        <td class=${`code ${a.status_code !== null && a.status_code < 300 ? 'ok' : 'bad'}`}>${a.status_code ?? '—'}</td>
        <td>${formatDuration(a.latency_ms)}</td>
        <td class="small break">${a.error ? html`<div class="error">${a.error}</div>` : null}${a.response_snippet ? html`<div class="mono">${a.response_snippet}</div>` : null}</td>
      </tr>`,
      )}</tbody></table></div>`
    }
  </article>`;
}
