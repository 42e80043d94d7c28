/** The conversation the engines judge is the normalised one of `conversation/` (SPEC §10). */
export type {
  Conversation,
  ConversationFormat,
  InputQuality,
  Participant,
  Side,
  Turn,
} from '../conversation/model.ts';
