import { labelKey, ROLE_SIDES } from './labels.ts';
import type { Participant, Side } from './model.ts';

/**
 * Reads `input.participants` (SPEC §10.2): `[{name, side: company|customer, role?}]`, or names
 * alone. Items it cannot read are left out and reported, never fatal: participants were free-form
 * context before sides existed.
 */
export function readParticipants(value: unknown): { participants: Participant[]; ignored: boolean } {
  if (value === undefined || value === null) return { participants: [], ignored: false };
  if (!Array.isArray(value)) return { participants: [], ignored: true };
  const participants: Participant[] = [];
  let ignored = false;
  for (const item of value) {
    if (typeof item === 'string' && item.trim() !== '') {
      participants.push({ name: item.normalize('NFKC').trim(), side: null, role: null });
      continue;
    }
    const record = item as Record<string, unknown> | null;
    const name = typeof record?.['name'] === 'string' ? record['name'].normalize('NFKC').trim() : '';
    if (name === '') {
      ignored = true;
      continue;
    }
    const side = record?.['side'] === 'company' || record?.['side'] === 'customer' ? record['side'] : null;
    if (record?.['side'] !== undefined && side === null) ignored = true;
    const role = typeof record?.['role'] === 'string' ? record['role'] : null;
    participants.push({ name, side, role });
  }
  return { participants, ignored };
}

const firstName = (name: string) => labelKey(name).split(' ')[0] ?? '';

/**
 * The side of a speaker: the participant of that name (or the only one of that first name, or one
 * named by the speaker's first name alone), else
 * a common role label ("Rep" → company, "Prospect" → customer), else null.
 */
export function sideResolver(participants: readonly Participant[]): (speaker: string | null) => Side | null {
  const byName = new Map(participants.map((p) => [labelKey(p.name), p] as const));
  const byFirst = new Map<string, Participant[]>();
  for (const p of participants)
    byFirst.set(firstName(p.name), [...(byFirst.get(firstName(p.name)) ?? []), p]);
  return (speaker) => {
    if (speaker === null) return null;
    const key = labelKey(speaker);
    // "Dana" speaks for the only participant called Dana …; "Dana Smith" for a participant "Dana".
    const named =
      byName.get(key) ?? (key.includes(' ') ? byName.get(firstName(key)) : only(byFirst.get(key)));
    if (named) return named.side;
    return ROLE_SIDES.get(key) ?? null;
  };
}

function only<T>(list: readonly T[] | undefined): T | undefined {
  return list?.length === 1 ? list[0] : undefined;
}
