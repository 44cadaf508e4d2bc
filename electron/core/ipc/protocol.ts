import { ErrorCode as McpErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { IpcError } from '../../../shared/contract';

/** Runs one request to a server; its failure becomes an IpcError (TIMEOUT or PROTOCOL_ERROR) the renderer can show. */
export async function protocol<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof IpcError) throw error;
    if (error instanceof McpError)
      throw new IpcError(error.code === McpErrorCode.RequestTimeout ? 'TIMEOUT' : 'PROTOCOL_ERROR', error.message, { code: error.code });
    throw new IpcError('PROTOCOL_ERROR', (error as Error)?.message ?? String(error));
  }
}
