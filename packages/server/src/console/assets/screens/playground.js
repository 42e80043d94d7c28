import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';

/** A transcript file bigger than this is refused here (the API's body limit is 2 MiB by default). */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

/**
 * What a transcript file becomes: a JSON file is the run's `input` itself (or its turns or messages
 * when it is an array); anything else (.txt, .vtt, .srt) is transcript text for the server to read.
 */
export function inputFromFile(name, text) {
  if (!/\.json$/i.test(name)) return { format: 'text', text };
  JSON.parse(text); // a broken file is said so now, not by the API
  return { format: 'json', text };
}

function inputOf(format, text) {
  if (format === 'text') return { transcript: text };
  const parsed = JSON.parse(text);
  if (Array.isArray(parsed)) {
    const messages = parsed.some((m) => m && typeof m === 'object' && ('from' in m || 'body' in m));
    return messages ? { messages: parsed } : { transcript: parsed };
  }
  return parsed;
}

/** Paste or drop a conversation, pick a Kit version, run it (sandbox or for real), land on the run. */
export function PlaygroundScreen({ session, query }) {
  const [kits, setKits] = useState([]);
  const [kit, setKit] = useState('');
  const [versions, setVersions] = useState([]);
  const [versionId, setVersionId] = useState(query?.get('kit_version_id') ?? '');
  const [format, setFormat] = useState('text');
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState(null);
  const [dragging, setDragging] = useState(false);
  const [type, setType] = useState(session.key.mode === 'test' ? 'sandbox' : 'api');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api('/v1/kits')
      .then(({ data }) => {
        setKits(data.data);
        // A link (the Kits screen's Try) may name the Kit and version.
        const asked = data.data.find((k) => k.kit_code === query?.get('kit_code'));
        const first = asked ?? data.data.find((k) => k.published_version) ?? data.data[0];
        setKit((current) => current || (first?.kit_code ?? ''));
      })
      .catch((failure) => setError(failure.message));
  }, []);

  useEffect(() => {
    if (!kit) return;
    api(`/v1/kits/${encodeURIComponent(kit)}`)
      .then(({ data }) => {
        setVersions(data.versions);
        setVersionId((current) =>
          data.versions.some((v) => v.kit_version_id === current)
            ? current
            : (data.published_version?.kit_version_id ?? data.versions[0].kit_version_id),
        );
      })
      .catch((failure) => setError(failure.message));
  }, [kit]);

  const readFile = async (file) => {
    setError(null);
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setError(`${file.name} is over 2 MiB; the API would refuse it.`);
      return;
    }
    try {
      const read = inputFromFile(file.name, await file.text());
      setFormat(read.format);
      setText(read.text);
      setFileName(file.name);
    } catch {
      setError(`${file.name} is not valid JSON.`);
    }
  };
  const onDrop = (event) => {
    event.preventDefault();
    setDragging(false);
    readFile(event.dataTransfer?.files?.[0]);
  };

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      let input;
      try {
        input = inputOf(format, text);
      } catch {
        throw new Error('The input is not valid JSON.');
      }
      const body = versionId ? { kit_version_id: versionId, type, input } : { kit_code: kit, type, input };
      const { data } = await api('/v1/runs', { method: 'POST', body });
      location.hash = `#/runs/${data.run_id}`;
    } catch (failure) {
      setError(failure.message);
      setBusy(false);
    }
  };

  return html`<section class="panel">
    <h1>Playground</h1>
    <form class="playground" onSubmit=${submit}>
      <div class="pick">
        <div>
          <label for="kit">Kit</label>
          <select id="kit" name="kit" value=${kit} onChange=${(e) => setKit(e.currentTarget.value)} required>
            ${kits.map((k) => html`<option value=${k.kit_code}>${k.name} (${k.kit_code})</option>`)}
          </select>
        </div>
        <div>
          <label for="kit-version">Version</label>
          <select id="kit-version" name="kit_version_id" value=${versionId} onChange=${(e) => setVersionId(e.currentTarget.value)}>
            ${versions.map((v) => html`<option value=${v.kit_version_id}>v${v.version} (${v.status})</option>`)}
          </select>
        </div>
      </div>
      <label for="transcript">Conversation</label>
      <div class=${`drop-zone${dragging ? ' dragging' : ''}`}
        onDragOver=${(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave=${() => setDragging(false)} onDrop=${onDrop}>
        <textarea id="transcript" name="transcript" rows="12" required value=${text}
          aria-describedby="transcript-help"
          placeholder=${format === 'json' ? '{"transcript": [{"speaker": "Rep", "text": "…"}]}' : 'Rep: What drove the urgency?\nProspect: We lose 3 hours a week.'}
          onInput=${(e) => setText(e.currentTarget.value)}></textarea>
        <p id="transcript-help" class="small">
          Paste “Speaker: text” lines, or drop a transcript file here (.txt, .vtt, .srt, or .json: the run’s input, or its turns).
          ${fileName ? html` <strong class="file-name">Read ${fileName}.</strong>` : null}
        </p>
        <label class="file-pick">Choose a file… <input type="file" name="file" accept=".txt,.vtt,.srt,.json,text/plain,application/json"
          onChange=${(e) => readFile(e.currentTarget.files?.[0])} /></label>
      </div>
      <fieldset>
        <legend>Input is</legend>
        <label class="choice"><input type="radio" name="format" value="text" checked=${format === 'text'} onChange=${() => setFormat('text')} /> Transcript text</label>
        <label class="choice"><input type="radio" name="format" value="json" checked=${format === 'json'} onChange=${() => setFormat('json')} /> JSON input</label>
      </fieldset>
      <fieldset>
        <legend>Run as</legend>
        <label class="choice"><input type="radio" name="type" value="sandbox" checked=${type === 'sandbox'} onChange=${() => setType('sandbox')} /> Sandbox (placeholder output, no model)</label>
        <label class="choice"><input type="radio" name="type" value="api" checked=${type === 'api'} disabled=${session.key.mode === 'test'} onChange=${() => setType('api')} /> For real</label>
      </fieldset>
      ${error ? html`<p class="error" role="alert">${error}</p>` : null}
      <button type="submit" disabled=${busy || !kit || text.trim() === ''}>${busy ? 'Starting…' : 'Run'}</button>
    </form>
  </section>`;
}
