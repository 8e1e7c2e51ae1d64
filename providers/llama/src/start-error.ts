/**
 * A reason the provider cannot start (the model file, its size, the GPU), worded for the
 * operator; main.ts prints the message and exits 1 before registering or claiming anything.
 */
export class StartError extends Error {
  override name = 'StartError';
}
