import { z } from 'zod';

// Errors cross the IPC boundary as data, never as thrown Error objects (Electron
// keeps only the message of those). Every handler result is wrapped in an envelope.

export const ErrorCode = z.enum([
  'INVALID_REQUEST', // the payload failed its zod schema
  'VALIDATION', // a well-formed request with values we refuse (details: field -> message)
  'NOT_FOUND',
  'APPROVAL_REQUIRED', // a stdio launch spec the user has not approved
  'CONFLICT',
  'FORBIDDEN_SENDER',
  'UNKNOWN_METHOD',
  'AUTH_REQUIRED', // no (usable) grant: sign in
  'STEP_UP_REQUIRED', // the grant lacks a scope the server asked for (403 insufficient_scope): sign in for more access
  'AUTH_FAILED',
  'CONNECTION_FAILED',
  'TIMEOUT',
  'CANCELLED',
  'PROTOCOL_ERROR',
  'SHUTTING_DOWN', // the app is quitting: nothing new starts
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const IpcErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.unknown().optional(),
});
export type IpcErrorShape = z.infer<typeof IpcErrorShape>;

export const Envelope = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: IpcErrorShape }),
]);
export type Envelope = z.infer<typeof Envelope>;

export { IpcError } from './ipc-error';

/** Field-level messages for VALIDATION errors, so forms can show them next to the input. */
export const FieldErrors = z.record(z.string(), z.string());
export type FieldErrors = z.infer<typeof FieldErrors>;
