import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import {
  formatConfidence,
  formatDate,
  formatDuration,
  formatNumber,
  formatValue,
  LOW_CONFIDENCE,
} from '../format.js';
import { spansByTurn, spanTree } from '../highlight.js';
import { html } from '../html.js';
import { StatusBadge } from './runs.js';

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
/** An unfinished run is followed by long polls: the server answers as soon as it ends. */
const WAIT_SECONDS = 20;

export function RunDetailScreen({ runId }) {
  const [run, setRun] = useState(null);
  const [error, setError] = useState(null);
  const [selected, setSelected] = useState(null);
  const [notice, setNotice] = useState(null);

  useEffect(() => {
    const controller = new AbortController();
    let stopped = false;
    const follow = async (wait) => {
      try {
        const { data } = await api(`/v1/runs/${encodeURIComponent(runId)}?include=conversation`, {
          headers: wait ? { prefer: `wait=${WAIT_SECONDS}` } : {},
          signal: controller.signal,
        });
        if (stopped) return;
        setRun(data);
        setError(null);
        if (!TERMINAL.has(data.status)) follow(true);
      } catch (failure) {
        if (stopped) return;
        setError(failure.message);
        // A dropped connection is retried; a missing run is not.
        if (failure.status === undefined || failure.status >= 500)
          setTimeout(() => !stopped && follow(false), 2_000);
      }
    };
    follow(false);
    return () => {
      stopped = true;
      controller.abort();
    };
  }, [runId]);

  if (error && !run)
    return html`<section class="panel"><h1>Run</h1><p class="error" role="alert">${error}</p><a href="#/runs">Back to runs</a></section>`;
  if (!run) return html`<section class="panel"><p>Loading…</p></section>`;

  const cancel = async () => {
    try {
      const { data } = await api(`/v1/runs/${run.run_id}/cancel`, { method: 'POST' });
      setRun({ ...data, conversation: run.conversation });
      setNotice('Cancelled.');
    } catch (failure) {
      setNotice(failure.message);
    }
  };
  const bricks = run.output?.bricks ?? {};

  return html`
    <section class="panel run-detail">
      <div class="heading">
        <div>
          <p class="crumbs"><a href="#/runs">Runs</a> /</p>
          <h1 class="mono">${run.run_id}</h1>
        </div>
        <div class="actions">
          <${StatusBadge} status=${run.status} />
          ${TERMINAL.has(run.status) ? null : html`<button type="button" class="danger" onClick=${cancel}>Cancel run</button>`}
          <${CopyCurl} run=${run} onCopied=${setNotice} />
        </div>
      </div>
      ${notice ? html`<p class="notice" role="status">${notice}</p>` : null}
      <${Facts} run=${run} />
      <${RunAgain} run=${run} />
      ${
        run.status === 'failed'
          ? html`<div class="error-box" role="alert"><strong>${run.error_code}</strong>: ${run.error_message}
        ${run.error_user_message ? html`<p>${run.error_user_message}</p>` : null}</div>`
          : null
      }
      ${run.status === 'cancelled' ? html`<p class="notice" role="status">This run was cancelled${run.error_message ? ` (${run.error_message})` : ''}${run.output ? '; the results below are partial' : ''}.</p>` : null}
      ${
        run.output?.incomplete_bricks?.length
          ? html`<div class="error-box partial" role="alert"><strong>Partial result:</strong> ${run.output.incomplete_bricks.length} of ${Object.keys(bricks).length} Bricks could not be judged
        (${run.output.incomplete_bricks.join(', ')}); they have no value. The other Bricks are complete.</div>`
          : null
      }
      ${TERMINAL.has(run.status) ? null : html`<p class="notice" role="status">The run is ${run.status}; this page updates when it finishes.</p>`}
      <div class="columns">
        <section aria-labelledby="bricks-title" class="bricks">
          <h2 id="bricks-title">Bricks</h2>
          ${Object.keys(bricks).length === 0 ? html`<p class="empty">No results yet.</p>` : null}
          ${Object.entries(bricks).map(
            ([key, result]) => html`<${BrickCard} key=${key} brickKey=${key} result=${result}
              selected=${selected === key} onSelect=${() => setSelected(selected === key ? null : key)} />`,
          )}
        </section>
        <section aria-labelledby="conversation-title" class="conversation">
          <h2 id="conversation-title">Conversation</h2>
          <${Conversation} conversation=${run.conversation} bricks=${bricks} selected=${selected} />
        </section>
      </div>
      <details class="raw">
        <summary>Raw JSON</summary>
        <pre class="mono" tabindex="0">${JSON.stringify(run, null, 2)}</pre>
      </details>
    </section>
  `;
}

function Facts({ run }) {
  const fact = (label, value) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  return html`<dl class="facts">
    ${fact('Kit', html`<span class="mono">${run.kit_code}</span>`)}
    ${fact('Kit version', html`<span class="mono small">${run.kit_version_id}</span>`)}
    ${fact('Type', run.run_type)} ${fact('Mode', run.mode)}
    ${fact('Created', formatDate(run.created_at))} ${fact('Started', formatDate(run.started_at))}
    ${fact('Completed', formatDate(run.completed_at))} ${fact('Duration', formatDuration(run.duration_ms))}
    ${fact('Attempt', run.attempt)}
    ${fact('Usage', `${formatNumber(run.usage.input_tokens)} in / ${formatNumber(run.usage.output_tokens)} out tokens, ${formatNumber(run.usage.model_calls)} model calls`)}
  </dl>`;
}

function CopyCurl({ run, onCopied }) {
  const command = `curl -s '${location.origin}/v1/runs/${run.run_id}?include=conversation' -H "Authorization: Bearer $SEMARIZE_API_KEY"`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
      onCopied('Copied the curl command (set SEMARIZE_API_KEY to your key).');
    } catch {
      onCopied(command);
    }
  };
  return html`<button type="button" class="quiet" onClick=${copy} title=${command}>Copy as curl</button>`;
}

function BrickCard({ brickKey, result, selected, onSelect }) {
  const low = typeof result.confidence === 'number' && result.confidence < LOW_CONFIDENCE;
  return html`<article class=${`brick${selected ? ' selected' : ''}`} data-brick=${brickKey}>
    <button type="button" class="brick-head" aria-pressed=${selected ? 'true' : 'false'} onClick=${onSelect}
      aria-label=${`${brickKey}: show its evidence in the conversation`}>
      <span class="mono">${brickKey}</span>
      <span class="value">${formatValue(result.value)}</span>
    </button>
    <p class=${`confidence${low ? ' low' : ''}`}>
      Confidence ${formatConfidence(result.confidence)}${low ? html` <strong>· low</strong>` : null}
    </p>
    ${result.error ? html`<p class="brick-error" role="note"><strong>Not judged</strong> (${result.error.code}): ${result.error.message}</p>` : null}
    <p class="reason">${result.reason}</p>
    ${
      result.evidence?.length
        ? html`<ul class="quotes" aria-label="Evidence">${result.evidence.map((q, i) => {
            const span = result.evidence_spans?.[i];
            return html`<li class=${span?.approximate ? 'approximate' : undefined}>“${q}”${
              span?.approximate
                ? html` <span class="approx-tag" title=${approximateNote(span)}>≈ approximate</span>`
                : null
            }</li>`;
          })}</ul>`
        : html`<p class="small">No evidence quotes.</p>`
    }
  </article>`;
}

/** Why a quote is marked: the model's words were close to, not exactly, the conversation's. */
function approximateNote(span) {
  const similarity =
    typeof span.similarity === 'number' ? ` (${Math.round(span.similarity * 100)}% similar)` : '';
  return `Approximate quote${similarity}: the model's wording differed slightly; shown is the conversation's own text.`;
}

function Conversation({ conversation, bricks, selected }) {
  const container = useRef(null);
  useEffect(() => {
    if (!selected || !container.current) return;
    const first = container.current.querySelector(`mark[data-brick="${CSS.escape(selected)}"]`);
    first?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [selected]);
  if (conversation === undefined) return html`<p class="empty">Loading…</p>`;
  if (conversation === null)
    return html`<p class="empty">The input is no longer kept (retention), so the conversation cannot be shown.</p>`;
  const byTurn = spansByTurn(bricks);
  return html`<ol class="turns" ref=${container}>
    ${conversation.turns.map(
      (turn) => html`<li class=${`turn side-${turn.side ?? 'unknown'}`} key=${turn.index}>
        <div class="speaker">${turn.speaker ?? 'Unknown speaker'}${turn.side ? html` <span class="small">(${turn.side})</span>` : null}
          ${turn.start_ms !== null ? html` <span class="small">${formatDuration(turn.start_ms)}</span>` : null}</div>
        <p class="text">${renderSpans(turn.text, spanTree(turn.text.length, byTurn.get(turn.index) ?? []), selected)}</p>
      </li>`,
    )}
  </ol>`;
}

function renderSpans(text, node, selected) {
  const parts = [];
  let at = node.start;
  for (const child of node.children) {
    if (child.start > at) parts.push(text.slice(at, child.start));
    const classes = [
      child.span.brick === selected ? 'selected' : '',
      child.span.approximate ? 'approximate' : '',
    ];
    parts.push(html`<mark data-evidence=${child.span.id} data-brick=${child.span.brick}
      class=${classes.filter(Boolean).join(' ') || undefined}
      title=${child.span.approximate ? `${child.span.brick} (approximate quote)` : child.span.brick}>${renderSpans(text, child, selected)}</mark>`);
    at = child.end;
  }
  if (at < node.end) parts.push(text.slice(at, node.end));
  return parts;
}

/** Runs the same input again on another version of the Kit (drafts included), then opens that run. */
function RunAgain({ run }) {
  const [versions, setVersions] = useState(null);
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api(`/v1/kits/${encodeURIComponent(run.kit_code)}`)
      .then(({ data }) => {
        setVersions(data.versions);
        const other = data.versions.find((v) => v.kit_version_id !== run.kit_version_id);
        setChosen((other ?? data.versions[0]).kit_version_id);
      })
      .catch(() => setVersions([]));
  }, [run.kit_code]);
  if (!versions || versions.length === 0) return null;
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { data: withInput } = await api(`/v1/runs/${run.run_id}?include=input`);
      if (!withInput.input)
        throw new Error('The input of this run is no longer kept (retention), so it cannot run again.');
      const { data } = await api('/v1/runs', {
        method: 'POST',
        body: { kit_version_id: chosen, type: run.run_type, input: withInput.input },
      });
      location.hash = `#/runs/${data.run_id}`;
    } catch (failure) {
      setError(failure.message);
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="run-again" onSubmit=${submit} aria-label="Run again">
    <label for="run-again-version">Run the same input again on</label>
    <select id="run-again-version" name="kit_version_id" value=${chosen} onChange=${(e) => setChosen(e.currentTarget.value)}>
      ${versions.map(
        (v) =>
          html`<option value=${v.kit_version_id}>${run.kit_code} v${v.version} (${v.status}${v.kit_version_id === run.kit_version_id ? ', this run' : ''})</option>`,
      )}
    </select>
    <button type="submit" class="quiet" disabled=${busy}>${busy ? 'Starting…' : 'Run again'}</button>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
  </form>`;
}
