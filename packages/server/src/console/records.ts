/** A console sign-in (SPEC §12): stands for its API key until `expiresAt`. */
export interface ConsoleSessionRecord {
  /** sha256 of the cookie's token: the token itself is never stored. */
  tokenHash: string;
  keyId: string;
  /** Sent back in a header on every write: a cross-site form cannot know it. */
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}
