import { useEffect, useState } from 'preact/hooks';
import { poll } from '../api.js';
import { formatDate, formatDuration } from '../format.js';
import { html } from '../html.js';

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
/** The list refreshes itself this often while the tab is visible (live updates by polling). */
export const LIST_POLL_MS = 3_000;

export function StatusBadge({ status }) {
  return html`<span class=${`status status-${status}`}>${status}</span>`;
}

export function RunsScreen({ session }) {
  // The API lists one run type at a time: api runs by default, sandbox runs on request (test keys: only).
  const [filters, setFilters] = useState({
    status: '',
    kit_code: '',
    run_type: session.key.mode === 'test' ? 'sandbox' : 'api',
  });
  const [cursors, setCursors] = useState([null]); // cursors[i] opens page i; Back pops one.
  const [page, setPage] = useState(null);
  const [error, setError] = useState(null);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    let stopped = false;
    let timer = null;
    const load = async () => {
      const params = new URLSearchParams({ limit: '25' });
      for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
      if (cursor) params.set('cursor', cursor);
      try {
        const { data, changed } = await poll(`/v1/runs?${params}`);
        if (!stopped) {
          if (changed) setPage(data);
          setError(null);
        }
      } catch (failure) {
        if (!stopped) setError(failure.message);
      }
      if (!stopped) timer = setTimeout(tick, LIST_POLL_MS);
    };
    const tick = () => {
      if (document.visibilityState !== 'hidden') return load();
      timer = setTimeout(tick, LIST_POLL_MS);
    };
    load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [filters, cursor]);

  const setFilter = (name) => (event) => {
    setFilters({ ...filters, [name]: event.currentTarget.value.trim() });
    setCursors([null]);
  };

  return html`
    <section class="panel">
      <div class="heading">
        <h1>Runs</h1>
        <a class="button" href="#/playground">New run</a>
      </div>
      <form class="filters" role="search" aria-label="Filter runs" onSubmit=${(e) => e.preventDefault()}>
        <label>Status
          <select name="status" value=${filters.status} onChange=${setFilter('status')}>
            <option value="">Any</option>
            ${STATUSES.map((s) => html`<option value=${s}>${s}</option>`)}
          </select>
        </label>
        <label>Kit code
          <input name="kit_code" value=${filters.kit_code} onChange=${setFilter('kit_code')} placeholder="e.g. A1B2C3D4" size="12" />
        </label>
        <label>Run type
          <select name="run_type" value=${filters.run_type} onChange=${setFilter('run_type')}>
            ${session.key.mode === 'live' ? html`<option value="api">api</option>` : null}
            <option value="sandbox">sandbox</option>
          </select>
        </label>
        <span class="live small" aria-live="polite">Updates every ${LIST_POLL_MS / 1_000} s</span>
      </form>
      ${error ? html`<p class="error" role="alert">${error}</p>` : null}
      ${page === null ? html`<p>Loading…</p>` : html`<${RunsTable} runs=${page.data} />`}
      <nav class="pager" aria-label="Pages">
        <button type="button" class="quiet" disabled=${cursors.length === 1} onClick=${() => setCursors(cursors.slice(0, -1))}>← Newer</button>
        <button type="button" class="quiet" disabled=${!page?.has_more} onClick=${() => setCursors([...cursors, page.next_cursor])}>Older →</button>
      </nav>
    </section>
  `;
}

function RunsTable({ runs }) {
  if (runs.length === 0)
    return html`<p class="empty">No runs match. Try the <a href="#/playground">playground</a>.</p>`;
  return html`
    <table class="runs">
      <thead><tr><th scope="col">Run</th><th scope="col">Status</th><th scope="col">Kit</th><th scope="col">Type</th><th scope="col">Created</th><th scope="col">Duration</th></tr></thead>
      <tbody>
        ${runs.map(
          (run) => html`<tr key=${run.run_id}>
            <td><a href=${`#/runs/${run.run_id}`} class="mono">${run.run_id}</a></td>
            <td><${StatusBadge} status=${run.status} /></td>
            <td class="mono">${run.kit_code}</td>
            <td>${run.run_type}</td>
            <td>${formatDate(run.created_at)}</td>
            <td>${formatDuration(run.duration_ms)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  `;
}
