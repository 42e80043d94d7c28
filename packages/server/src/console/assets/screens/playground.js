import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';

/** Paste a conversation, pick a Kit, run it (sandbox or for real) and land on the run view. */
export function PlaygroundScreen({ session }) {
  const [kits, setKits] = useState([]);
  const [kit, setKit] = useState('');
  const [transcript, setTranscript] = useState('');
  const [type, setType] = useState(session.key.mode === 'test' ? 'sandbox' : 'api');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api('/v1/kits')
      .then(({ data }) => {
        const published = data.data.filter((k) => k.published_version);
        setKits(published);
        setKit((current) => current || (published[0]?.kit_code ?? ''));
      })
      .catch((failure) => setError(failure.message));
  }, []);

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { data } = await api('/v1/runs', {
        method: 'POST',
        body: { kit_code: kit, type, input: { transcript } },
      });
      location.hash = `#/runs/${data.run_id}`;
    } catch (failure) {
      setError(failure.message);
      setBusy(false);
    }
  };

  return html`<section class="panel">
    <h1>Playground</h1>
    <form class="playground" onSubmit=${submit}>
      <label for="kit">Kit</label>
      <select id="kit" name="kit" value=${kit} onChange=${(e) => setKit(e.currentTarget.value)} required>
        ${kits.map((k) => html`<option value=${k.kit_code}>${k.name} (${k.kit_code}, v${k.published_version.version})</option>`)}
      </select>
      <label for="transcript">Conversation</label>
      <textarea id="transcript" name="transcript" rows="12" required value=${transcript}
        placeholder=${'Rep: What drove the urgency?\nProspect: We lose 3 hours a week.'}
        onInput=${(e) => setTranscript(e.currentTarget.value)}></textarea>
      <fieldset>
        <legend>Run as</legend>
        <label class="choice"><input type="radio" name="type" value="sandbox" checked=${type === 'sandbox'} onChange=${() => setType('sandbox')} /> Sandbox (placeholder output, no model)</label>
        <label class="choice"><input type="radio" name="type" value="api" checked=${type === 'api'} disabled=${session.key.mode === 'test'} onChange=${() => setType('api')} /> For real</label>
      </fieldset>
      ${error ? html`<p class="error" role="alert">${error}</p>` : null}
      <button type="submit" disabled=${busy || !kit || transcript.trim() === ''}>${busy ? 'Starting…' : 'Run'}</button>
    </form>
  </section>`;
}
