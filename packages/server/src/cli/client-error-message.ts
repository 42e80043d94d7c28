import { APIError, ConnectionError, type SemarizeError } from '@semarize/client';

/** An SDK error as the terminal should show it: the API code and request id, or what to check. */
export function clientErrorMessage(error: SemarizeError, baseUrl: string): string {
  if (error instanceof APIError) {
    const detail = error.detail ? `\n  detail: ${JSON.stringify(error.detail)}` : '';
    const request = error.requestId ? ` (request ${error.requestId})` : '';
    return `semarize: ${error.status} ${error.code}: ${error.message}${request}${detail}\n`;
  }
  if (error instanceof ConnectionError) {
    return `semarize: ${error.message}\n  Is the server running at ${baseUrl}? Start it with \`npm start\`, or set SEMARIZE_BASE_URL.\n`;
  }
  return `semarize: ${error.message}\n`;
}
