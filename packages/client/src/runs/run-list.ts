import { SemarizeError } from '../errors.ts';
import type { BrickResults, BrickResultsOf, Run, RunPage } from '../types/run.ts';

/**
 * `runs.list()`: iterate it with `for await` to get every run across every page, newest first;
 * `pages()` yields the pages themselves. Pages are fetched lazily, one request per page.
 */
export class RunList<B extends BrickResultsOf<B> = BrickResults> implements AsyncIterable<Run<B>> {
  readonly #fetchPage: (cursor: string | undefined) => Promise<RunPage<B>>;
  readonly #firstCursor: string | undefined;

  constructor(fetchPage: (cursor: string | undefined) => Promise<RunPage<B>>, firstCursor?: string) {
    this.#fetchPage = fetchPage;
    this.#firstCursor = firstCursor;
  }

  async *pages(): AsyncGenerator<RunPage<B>, void, undefined> {
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

  async *[Symbol.asyncIterator](): AsyncGenerator<Run<B>, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }
}
