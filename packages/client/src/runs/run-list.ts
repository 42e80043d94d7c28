import { PageList } from '../http/page-list.ts';
import type { BrickResults, BrickResultsOf, Run } from '../types/run.ts';

/**
 * `runs.list()`: iterate it with `for await` to get every run across every page, newest first;
 * `pages()` yields the pages themselves (each a RunPage). Pages are fetched lazily.
 */
export class RunList<B extends BrickResultsOf<B> = BrickResults> extends PageList<Run<B>> {}
