// What an admin command refuses, with the argument at fault, so the CLI and the hub's socket
// answer alike. A module of its own so that helpers of the commands can throw it too.
export class AdminError extends Error {
  constructor(
    readonly code: 'not_found' | 'invalid' | 'conflict',
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}
