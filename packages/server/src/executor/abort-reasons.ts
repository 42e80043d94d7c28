/** Why a run's in-flight work was aborted; decides what the executor writes afterwards. */
export class ExecutionAborted extends Error {
  readonly kind: 'cancelled' | 'lease_lost' | 'deadline' | 'shutdown';
  constructor(kind: ExecutionAborted['kind']) {
    super(`execution aborted: ${kind}`);
    this.name = 'ExecutionAborted';
    this.kind = kind;
  }
}
