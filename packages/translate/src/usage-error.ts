/** A bad command line found after parsing (missing command, contradictory options): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
