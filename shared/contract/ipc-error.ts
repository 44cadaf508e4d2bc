import type { ErrorCode, IpcErrorShape } from './errors';

// Kept free of zod so the renderer bundle can use it without pulling in schemas.

/** Thrown by core handlers and by the renderer client; carries a typed code. */
export class IpcError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'IpcError';
    this.code = code;
    this.details = details;
  }
  toShape(): IpcErrorShape {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }
}
