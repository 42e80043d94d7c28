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
      ${
        run.status === 'failed'
          ? html`<div class="error-box" role="alert"><strong>${run.error_code}</strong>: ${run.error_message}
        ${run.error_user_message ? html`<p>${run.error_user_message}</p>` : null}</div>`
          : null
      }
      ${run.status === 'cancelled' ? html`<p class="notice">This run was cancelled${run.output ? '; the results below are partial' : ''}.</p>` : null}
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
    <p class="reason">${result.reason}</p>
    ${
      result.evidence?.length
        ? html`<ul class="quotes" aria-label="Evidence">${result.evidence.map((q) => html`<li>“${q}”</li>`)}</ul>`
        : html`<p class="small">No evidence quotes.</p>`
    }
  </article>`;
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
    parts.push(html`<mark data-evidence=${child.span.id} data-brick=${child.span.brick}
      class=${child.span.brick === selected ? 'selected' : undefined} title=${child.span.brick}>${renderSpans(text, child, selected)}</mark>`);
    at = child.end;
  }
  if (at < node.end) parts.push(text.slice(at, node.end));
  return parts;
}
