// Errors of the domain and data layers. They know nothing of HTTP: the edge (lib/http/errors.ts)
// decides what a client sees for each; they live here so that every layer may import them.

/**
 * A paging cursor the repository cannot use (a malformed id, a value of the wrong type for the
 * sort). Cursors come from clients, so this is their mistake, not a failure of the database.
 */
export class InvalidCursorError extends Error {
  constructor(message: string) {
    super(`invalid cursor: ${message}`);
    this.name = 'InvalidCursorError';
  }
}
