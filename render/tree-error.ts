/**
 * A problem with the output folder itself (refused target, held lock, failed write): one line for
 * the user, and the previous tree left as it was.
 */
export class TreeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TreeError';
  }
}
