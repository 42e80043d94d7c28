export { type Clock, systemClock } from './clock.ts';
export {
  APIError,
  type APIErrorInit,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  IdempotencyConflictError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  RequestTimeoutError,
  SemarizeError,
  ServiceUnavailableError,
  UnprocessableEntityError,
  UnsupportedMediaTypeError,
  WaitTimeoutError,
  WebhookVerificationError,
} from './errors.ts';
export { PageList } from './http/page-list.ts';
export type { RequestOptions } from './http/transport.ts';
export { RunList } from './runs/run-list.ts';
export { isActive, isFinished } from './runs/run-status.ts';
export { type CreateAndWaitOptions, type CreateOptions, type GetOptions, Runs } from './runs/runs.ts';
export type { WaitOptions } from './runs/wait-for-run.ts';
export { type ClientOptions, DEFAULT_BASE_URL, Semarize } from './semarize.ts';
export type {
  ActiveRun,
  ActiveRunStatus,
  BrickResult,
  BrickResults,
  BrickResultsOf,
  BrickValue,
  EvidenceSpan,
  FinishedRun,
  Run,
  RunErrorCode,
  RunMode,
  RunOutput,
  RunPage,
  RunStatus,
  RunType,
  SucceededRun,
  TerminalRunStatus,
  UnsuccessfulRun,
  Usage,
} from './types/run.ts';
export type {
  ConversationMessage,
  CreateRunParams,
  ListRunsParams,
  RunInput,
  TranscriptTurn,
} from './types/run-params.ts';
export type {
  CreateWebhookEndpointParams,
  DeletedWebhookEndpoint,
  Page,
  UpdateWebhookEndpointParams,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
  WebhookEventType,
  WebhookPayload,
} from './types/webhook-endpoint.ts';
export type {
  PingEvent,
  RunCancelledEvent,
  RunEventType,
  RunFailedEvent,
  RunSucceededEvent,
  WebhookEvent,
} from './webhooks/events.ts';
export { type VerifyOptions, verifyWebhook, type WebhookHeaders } from './webhooks/verify.ts';
export { type ListDeliveriesParams, WebhookEndpoints } from './webhooks/webhook-endpoints.ts';
export { Webhooks } from './webhooks/webhooks.ts';
