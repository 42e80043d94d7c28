// Evidence highlighting: every quote becomes a <mark> over its span of the turn's text. Quotes that
// contain one another nest; a quote that crosses another's end is split in two marks that share
// its id, so its marks together still read exactly as the quote.

/**
 * @param {number} length the turn's text length
 * @param {{id: string, brick: string, start: number, end: number}[]} spans
 * @returns {{start: number, end: number, span: object | null, children: object[]}} a tree
 */
export function spanTree(length, spans) {
  const pending = spans
    .filter((s) => s.start < s.end && s.start >= 0 && s.end <= length)
    .map((s) => ({ ...s }))
    .sort(byPosition);
  const root = { start: 0, end: length, span: null, children: [] };
  const stack = [root];
  while (pending.length > 0) {
    const s = pending.shift();
    while (stack.length > 1 && s.start >= stack[stack.length - 1].end) stack.pop();
    const parent = stack[stack.length - 1];
    const end = Math.min(s.end, parent.end);
    const node = { start: s.start, end, span: s, children: [] };
    parent.children.push(node);
    stack.push(node);
    if (s.end > end) insertSorted(pending, { ...s, start: end });
  }
  return root;
}

function byPosition(a, b) {
  return a.start - b.start || b.end - a.end || a.id.localeCompare(b.id);
}

function insertSorted(list, item) {
  const at = list.findIndex((other) => byPosition(item, other) < 0);
  if (at === -1) list.push(item);
  else list.splice(at, 0, item);
}

/** The evidence spans of every Brick, by turn, each with an id that names its Brick and quote. */
export function spansByTurn(bricks) {
  const byTurn = new Map();
  for (const [brick, result] of Object.entries(bricks ?? {})) {
    (result.evidence_spans ?? []).forEach((span, index) => {
      const entry = { id: `${brick}:${index}`, brick, start: span.start, end: span.end };
      if (span.approximate) entry.approximate = true;
      if (!byTurn.has(span.turn)) byTurn.set(span.turn, []);
      byTurn.get(span.turn).push(entry);
    });
  }
  return byTurn;
}
