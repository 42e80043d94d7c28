import type { Side } from './model.ts';

/** Common role labels and the side they speak for (SPEC §10.2), matched on the whole label. */
export const ROLE_SIDES: ReadonlyMap<string, Side> = new Map([
  ...[
    'rep',
    'sales rep',
    'ae',
    'account executive',
    'sdr',
    'bdr',
    'csm',
    'sales',
    'salesperson',
    'agent',
    'support',
    'host',
    'seller',
  ].map((label) => [label, 'company'] as const),
  ...['prospect', 'customer', 'buyer', 'client', 'caller', 'lead', 'guest'].map(
    (label) => [label, 'customer'] as const,
  ),
]);

// Labels of a document rather than a speaker: "Note: pricing was discussed." is text.
const DOCUMENT_LABELS = new Set([
  'note',
  'notes',
  'nb',
  'ps',
  'p.s',
  'p.s.',
  'fyi',
  'summary',
  'agenda',
  'subject',
  're',
  'action items',
  'action item',
  'next steps',
  'next step',
  'todo',
  'to do',
  'ratio',
  'total',
  'price',
  'pricing',
  'cost',
  'budget',
  'date',
  'time',
  'location',
  'attendees',
  'example',
  'update',
  'edit',
  'warning',
  'tip',
]);

/** Speaker labels of diarising transcribers: "Speaker 1", "SPEAKER_01", "Spk 2", "Speaker A". */
const DIARISATION_LABEL = /^(?:speaker|spk|spkr)[ _-]?(?:\d{1,3}|[a-z])$/iu;

export const labelKey = (label: string) => label.normalize('NFKC').trim().toLowerCase();

/** A label that names a document part, never a speaker. */
export function isDocumentLabel(label: string): boolean {
  const key = labelKey(label);
  return DOCUMENT_LABELS.has(key) || /^(?:step \d+|q\d+)$/u.test(key);
}

/** A label known to be a speaker without seeing it start a line: a role or a diariser's label. */
export function isWellKnownSpeakerLabel(label: string): boolean {
  const key = labelKey(label);
  return ROLE_SIDES.has(key) || DIARISATION_LABEL.test(key);
}
