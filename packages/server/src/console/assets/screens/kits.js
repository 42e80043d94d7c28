import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { formatDate } from '../format.js';
import { html } from '../html.js';
import { diffKitVersions, shown } from '../kit-diff.js';

/** Kit changes (publishing) need a live admin key (SPEC §9.1); everyone else reads. */
const canPublish = (session) => session.key.role === 'admin' && session.key.mode === 'live';

export function KitsScreen({ session, kitCode }) {
  return kitCode ? html`<${KitDetail} session=${session} kitCode=${kitCode} />` : html`<${KitList} />`;
}

function KitList() {
  const [kits, setKits] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    api('/v1/kits')
      .then(({ data }) => setKits(data.data))
      .catch((failure) => setError(failure.message));
  }, []);
  return html`<section class="panel">
    <h1>Kits</h1>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    ${
      kits === null
        ? html`<p>Loading…</p>`
        : html`<div class="table-wrap"><table class="kits">
      <thead><tr><th scope="col">Kit</th><th scope="col">Code</th><th scope="col">Published</th><th scope="col">Latest</th><th scope="col">Created</th></tr></thead>
      <tbody>${kits.map(
        (k) => html`<tr key=${k.kit_code}>
        <td><a href=${`#/kits/${k.kit_code}`}>${k.name}</a>${k.description ? html`<div class="small">${k.description}</div>` : null}</td>
        <td class="mono">${k.kit_code}</td>
        <td>${k.published_version ? `v${k.published_version.version}` : html`<span class="small">none</span>`}</td>
        <td>v${k.latest_version.version} <span class=${`status status-${k.latest_version.status === 'draft' ? 'queued' : 'succeeded'}`}>${k.latest_version.status}</span></td>
        <td>${formatDate(k.created_at)}</td>
      </tr>`,
      )}</tbody></table></div>`
    }
  </section>`;
}

/** The two versions compared by default: the published one against the latest, else the last two. */
function defaultPair(versions) {
  const latest = versions[0];
  const published = versions.find((v) => v.status === 'published');
  const older = published && published !== latest ? published : (versions[1] ?? latest);
  return { from: older.kit_version_id, to: latest.kit_version_id };
}

function KitDetail({ session, kitCode }) {
  const [kit, setKit] = useState(null);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const [pair, setPair] = useState(null);

  const load = () =>
    api(`/v1/kits/${encodeURIComponent(kitCode)}`)
      .then(({ data }) => {
        setKit(data);
        setPair((current) => current ?? defaultPair(data.versions));
      })
      .catch((failure) => setError(failure.message));
  useEffect(() => {
    setPair(null);
    load();
  }, [kitCode]);

  if (error && !kit)
    return html`<section class="panel"><h1>Kit ${kitCode}</h1><p class="error" role="alert">${error}</p><a href="#/kits">Back to Kits</a></section>`;
  if (!kit || !pair) return html`<section class="panel"><p>Loading…</p></section>`;

  const publish = async (version) => {
    if (!confirm(`Publish v${version.version}? Runs by kit_code ${kit.kit_code} then use it.`)) return;
    setError(null);
    try {
      await api(`/v1/kits/${kit.kit_code}/versions/${version.kit_version_id}/publish`, { method: 'POST' });
      setNotice(`Published v${version.version}: runs by kit_code ${kit.kit_code} now use it.`);
      await load();
    } catch (failure) {
      setError(failure.message);
    }
  };
  const byId = (id) => kit.versions.find((v) => v.kit_version_id === id);
  const option = (v) => html`<option value=${v.kit_version_id}>v${v.version} (${v.status})</option>`;

  return html`<section class="panel">
    <p class="crumbs"><a href="#/kits">Kits</a> /</p>
    <h1>${kit.name} <span class="mono small">${kit.kit_code}</span></h1>
    ${kit.description ? html`<p>${kit.description}</p>` : null}
    ${notice ? html`<p class="notice" role="status">${notice}</p>` : null}
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    <h2>Versions</h2>
    <div class="table-wrap"><table class="versions">
      <thead><tr><th scope="col">Version</th><th scope="col">Status</th><th scope="col">Bricks</th><th scope="col">Created</th><th scope="col">Published</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>${kit.versions.map(
        (v) => html`<tr key=${v.kit_version_id} data-version=${v.version}>
        <td>v${v.version} <div class="mono small">${v.kit_version_id}</div></td>
        <td><span class=${`status status-${v.status === 'draft' ? 'queued' : 'succeeded'}`}>${v.status}</span>
          ${kit.published_version?.kit_version_id === v.kit_version_id ? html` <span class="small">runs by code</span>` : null}</td>
        <td class="small">${v.bricks.map((b) => `${b.key} v${b.version}`).join(', ')}</td>
        <td>${formatDate(v.created_at)}</td>
        <td>${formatDate(v.published_at)}</td>
        <td><div class="row-actions">
          ${v.status === 'draft' && canPublish(session) ? html`<button type="button" onClick=${() => publish(v)} aria-label=${`Publish v${v.version}`}>Publish</button>` : null}
          <a class="button quiet-link" href=${`#/playground?kit_code=${kit.kit_code}&kit_version_id=${v.kit_version_id}`} aria-label=${`Try v${v.version} in the playground`}>Try</a>
        </div></td>
      </tr>`,
      )}</tbody></table></div>
    <h2 id="compare-title">Compare versions</h2>
    ${
      kit.versions.length < 2
        ? html`<p class="empty">Only one version so far: a new draft (POST /v1/kits/${kit.kit_code}/versions) can be compared with it.</p>`
        : html`
    <form class="filters" aria-labelledby="compare-title" onSubmit=${(e) => e.preventDefault()}>
      <label>From <select name="from" value=${pair.from} onChange=${(e) => setPair({ ...pair, from: e.currentTarget.value })}>${kit.versions.map(option)}</select></label>
      <label>To <select name="to" value=${pair.to} onChange=${(e) => setPair({ ...pair, to: e.currentTarget.value })}>${kit.versions.map(option)}</select></label>
    </form>
    ${byId(pair.from) && byId(pair.to) ? html`<${VersionDiff} from=${byId(pair.from)} to=${byId(pair.to)} />` : null}
    `
    }
  </section>`;
}

/** Full Brick definitions of the re-pinned Bricks, fetched by version, so the diff says how they changed. */
function useBrickDefinitions(from, to) {
  const [definitions, setDefinitions] = useState(new Map());
  useEffect(() => {
    const wanted = [];
    const older = new Map(from.bricks.map((b) => [b.key, b.version]));
    for (const b of to.bricks) {
      const was = older.get(b.key);
      if (was !== undefined && was !== b.version) wanted.push([b.key, was], [b.key, b.version]);
    }
    let stopped = false;
    Promise.all(
      wanted.map(([key, version]) =>
        api(`/v1/bricks/${encodeURIComponent(key)}?version=${version}`)
          .then(({ data }) => [`${key}@${version}`, data])
          .catch(() => null),
      ),
    ).then((found) => {
      if (!stopped) setDefinitions(new Map(found.filter(Boolean)));
    });
    return () => {
      stopped = true;
    };
  }, [from.kit_version_id, to.kit_version_id]);
  return (key, version) => definitions.get(`${key}@${version}`) ?? null;
}

function VersionDiff({ from, to }) {
  const definitions = useBrickDefinitions(from, to);
  if (from.kit_version_id === to.kit_version_id)
    return html`<p class="empty">Pick two different versions.</p>`;
  const diff = diffKitVersions(from, to, definitions);
  const pin = (b) =>
    b.change === 'added'
      ? `v${b.to}`
      : b.change === 'removed'
        ? `v${b.from}`
        : b.from === b.to
          ? `v${b.to}`
          : `v${b.from} → v${b.to}`;
  return html`<div class="diff" aria-label=${`Changes from v${from.version} to v${to.version}`}>
    ${diff.changed ? null : html`<p class="empty">No differences.</p>`}
    ${diff.settings.length > 0 ? html`<h3>Kit settings</h3><${FieldTable} fields=${diff.settings} />` : null}
    <h3>Bricks</h3>
    <ul class="brick-changes">
      ${diff.bricks.map(
        (b) => html`<li class=${`change-${b.change}`} data-brick=${b.key} data-change=${b.change}>
        <span class=${`change-tag tag-${b.change}`}>${b.change}</span>
        <span class="mono">${b.key}</span> <span class="small">${pin(b)}${b.moved ? ', moved' : ''}</span>
        ${b.change === 'changed' ? html`<${FieldTable} fields=${b.fields} />` : null}
        ${b.change === 'changed' && b.fields.length === 0 ? html`<p class="small">Same definition under a new version.</p>` : null}
      </li>`,
      )}
    </ul>
  </div>`;
}

function FieldTable({ fields }) {
  if (fields.length === 0) return null;
  return html`<div class="table-wrap"><table class="fields">
    <thead><tr><th scope="col">Field</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
    <tbody>${fields.map(
      (f) =>
        html`<tr data-field=${f.field}><td class="mono">${f.field}</td><td class="before break">${shown(f.from)}</td><td class="after break">${shown(f.to)}</td></tr>`,
    )}</tbody></table></div>`;
}
