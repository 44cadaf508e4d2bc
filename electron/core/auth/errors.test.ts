import { describe, expect, test } from 'vitest';
import { CallToolResponse, IpcErrorShape } from '../../../shared/contract';
import { AuthRequiredError, StepUpRequiredError } from './errors';

describe('sign-in errors travel as ErrorCodes', () => {
  test('a step-up is STEP_UP_REQUIRED, a missing grant AUTH_REQUIRED; both cross IPC as a valid error shape', () => {
    const stepUp = new StepUpRequiredError('s1', 'more scope', 'Bearer error="insufficient_scope"', ['admin']);
    const auth = new AuthRequiredError('s1', 'sign in');
    expect(stepUp.code).toBe('STEP_UP_REQUIRED');
    expect(auth.code).toBe('AUTH_REQUIRED');
    expect(IpcErrorShape.parse(stepUp.toShape()).code).toBe('STEP_UP_REQUIRED');
  });

  test('a tool-call error code is a JSON-RPC number or an ErrorCode, nothing else', () => {
    const base = { callId: 'c', status: 'error' as const, durationMs: 1 };
    expect(CallToolResponse.parse({ ...base, error: { code: 'STEP_UP_REQUIRED', message: 'x' } }).error?.code).toBe('STEP_UP_REQUIRED');
    expect(CallToolResponse.parse({ ...base, error: { code: -32001, message: 'x' } }).error?.code).toBe(-32001);
    expect(CallToolResponse.safeParse({ ...base, error: { code: 'STEP_UP', message: 'x' } }).success).toBe(false);
  });
});
