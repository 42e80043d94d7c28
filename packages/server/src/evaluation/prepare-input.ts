import { inputSha256 as hashInput } from '../canonical-json.ts';
import type { Config } from '../config.ts';
import { conversationText, normaliseInput } from '../conversation/normalise-input.ts';
import { InputInvalid } from '../errors/run-failure.ts';
import type { Conversation } from './conversation.ts';

/** The largest conversation a run may have (SPEC §9.3), counted after normalisation. */
export interface ConversationLimits {
  maxTurns: number;
  /** Characters of the canonical text (`speaker: text` lines). */
  maxCharacters: number;
}

export function conversationLimits(config: Readonly<Config>): ConversationLimits {
  return { maxTurns: config.maxConversationTurns, maxCharacters: config.maxConversationChars };
}

/** A run's input as the engines take it: normalised once, when the run is created, and stored. */
export interface PreparedInput {
  conversation: Conversation;
  /** Every input field except the conversation itself. */
  context: Record<string, unknown>;
  /** SHA-256 of the input's canonical JSON: the idempotency fingerprint's and the sandbox seed's. */
  inputSha256: string;
}

export type InputProblem =
  | { code: 'input_invalid'; message: string; detail: { reason: string } }
  | {
      code: 'input_too_large';
      message: string;
      detail: { turns: number; max_turns: number; characters: number; max_characters: number };
    };

/**
 * A prepared input travels as JSON: it is stored as JSON, and a string crosses from an engine
 * thread for the cost of a copy, where the object would be cloned turn by turn on the HTTP thread.
 */
export type Preparation =
  | { ok: true; inputSha256: string; preparedJson: string }
  | { ok: false; inputSha256: string; problem: InputProblem };

/**
 * Normalises a run's input (given as the JSON the store keeps) and checks it against the limits.
 * Never throws for a bad input: the problem is returned, because the caller decides when to
 * report it (idempotency is settled first).
 */
export function prepareInput(inputJson: string, limits: ConversationLimits): Preparation {
  const input = JSON.parse(inputJson) as Record<string, unknown>;
  const inputSha256 = hashInput(input);
  let normalised: ReturnType<typeof normaliseInput>;
  try {
    normalised = normaliseInput(input);
  } catch (error) {
    if (!(error instanceof InputInvalid)) throw error;
    return {
      ok: false,
      inputSha256,
      problem: { code: 'input_invalid', message: error.message, detail: { reason: error.reason } },
    };
  }
  const { conversation, context } = normalised;
  const turns = conversation.turns.length;
  const characters = conversation.text.length;
  if (turns > limits.maxTurns || characters > limits.maxCharacters) {
    return {
      ok: false,
      inputSha256,
      problem: {
        code: 'input_too_large',
        message: `The conversation has ${turns} turns and ${characters} characters once normalised; this server takes at most ${limits.maxTurns} turns and ${limits.maxCharacters} characters.`,
        detail: { turns, max_turns: limits.maxTurns, characters, max_characters: limits.maxCharacters },
      },
    };
  }
  return { ok: true, inputSha256, preparedJson: preparedInputJson({ conversation, context, inputSha256 }) };
}

/** As stored: without the canonical text, which is the turns again (half the size). */
interface StoredPreparedInput extends Omit<PreparedInput, 'conversation'> {
  conversation: Omit<Conversation, 'text'>;
}

export function preparedInputJson(prepared: PreparedInput): string {
  const { text: _text, ...conversation } = prepared.conversation;
  return JSON.stringify({ ...prepared, conversation } satisfies StoredPreparedInput);
}

export function parsePreparedInput(json: string): PreparedInput {
  const stored = JSON.parse(json) as StoredPreparedInput;
  const conversation = { ...stored.conversation, text: conversationText(stored.conversation.turns) };
  return { ...stored, conversation };
}
