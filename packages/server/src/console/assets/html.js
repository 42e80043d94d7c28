// Tagged templates instead of JSX: the console runs as written, with no build step.
import htm from 'htm';
import { h } from 'preact';

export const html = htm.bind(h);
