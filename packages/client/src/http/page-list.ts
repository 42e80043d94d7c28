import { SemarizeError } from '../errors.ts';
import type { Page } from '../types/webhook-endpoint.ts';

/**
 * A list the API pages through: iterate it with `for await` to get every item across every page;
 * `pages()` yields the pages themselves. Pages are fetched lazily, one request per page.
 */
export class PageList<T> implements AsyncIterable<T> {
  readonly #fetchPage: (cursor: string | undefined) => Promise<Page<T>>;
  readonly #firstCursor: string | undefined;

  constructor(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, firstCursor?: string) {
    this.#fetchPage = fetchPage;
    this.#firstCursor = firstCursor;
  }

  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let cursor = this.#firstCursor;
    for (;;) {
      const page = await this.#fetchPage(cursor);
      yield page;
      if (!page.has_more || !page.next_cursor) return;
      // A server repeating a cursor would otherwise make this loop forever.
      if (page.next_cursor === cursor) throw new SemarizeError('The server returned the same cursor twice.');
      cursor = page.next_cursor;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }
}
