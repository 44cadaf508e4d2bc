import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { LogLine, ServerView } from '../../../shared/contract';
import { createConfStore } from '../node-ports/conf-store';
import { createKeyfileCipher } from '../node-ports/keyfile-cipher';
import { KnownSecrets } from '../traffic';
import { Vault } from '../vault';
import { collectDiagnostics, InternalErrorLog, zipDiagnostics } from './diagnostics';
import { diagnosticsRedactor } from './redact-text';

// The redaction of the diagnostics bundle, line by line: what log and error
// lines carry in practice (headers, URLs, token fields), and a settings file
// edited by hand.

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MX0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const BEARER = 'Zq8Wm3Xp7Lr2Nk5Vt9Hb4Jc';
const BASIC = Buffer.from('alice:hunter2hunter2').toString('base64');
const REFRESH = 'rt_9QwErTyUiOpAsDfGhJkL';
const GATEWAY = 'sbg_Q2x4dW5nZXJfdG9rZW5fZm9yX2dhdGV3YXk';
const SESSION_SECRET = 'sessionOnlySecret-P0o9I8u7';
const HAND_EDITED = 'handEditedPlainSecret-M1n2B3';

describe('diagnostics redaction', () => {
  const r = diagnosticsRedactor(undefined, '/home/alice');

  it.each([
    [`> POST /mcp Authorization: Bearer ${BEARER}`, BEARER],
    [`authorization=Basic ${BASIC}`, BASIC],
    [`"Authorization": "Negotiate ${BEARER}"`, BEARER],
    [`token refresh failed: refresh_token=${REFRESH} grant_type=refresh_token`, REFRESH],
    [`{"refresh_token":"${REFRESH}","token_type":"Bearer"}`, REFRESH],
    [`GET https://api.example.com/v1?access_token=${BEARER}&page=2`, BEARER],
    [`id_token ${JWT} rejected`, JWT],
    [`gateway client used ${GATEWAY}`, GATEWAY],
    [`--api-key=${BEARER}`, BEARER],
    [`API_KEY: ${BEARER}`, BEARER],
    [`postgres://app:${BEARER}@db.internal/x`, BEARER],
    [`some random ${BEARER} in a line`, BEARER],
  ])('%s', (line, secret) => {
    const out = r.text(line);
    expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it('keeps ordinary text readable and hides the home folder', () => {
    expect(r.text('Connection failed: connect ECONNREFUSED 127.0.0.1:8080 (retrying in 2 s)')).toBe(
      'Connection failed: connect ECONNREFUSED 127.0.0.1:8080 (retrying in 2 s)',
    );
    expect(r.text('Starting /home/alice/bin/server --port 3000 token_type=Bearer')).toBe('Starting ~/bin/server --port 3000 token_type=Bearer');
    expect(r.value({ secret: true, hasClientSecret: false, clientSecret: 'abcdefgh', nested: { password: { v: 'x1' } } })).toEqual({
      secret: true,
      hasClientSecret: false,
      clientSecret: '[redacted]',
      nested: { password: { v: '[redacted]' } },
    });
  });

  it('bundles settings, logs and internal errors with planted secrets removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-diag-unit-'));
    const store = createConfStore(dir);
    const vault = new Vault(createKeyfileCipher(join(dir, 'vault.key')), store);
    await vault.put('auth:client:as.example#abc', 'dcrClientSecret-K9j8H7g6');
    // A hand-edited file: a value on a secret entry, a header value without the secret flag.
    store.set('servers', [
      {
        id: 's1',
        name: 'Edited',
        enabled: true,
        transport: 'http',
        url: 'https://x.example/mcp',
        mode: 'auto',
        omitResourceParameter: false,
        headers: [
          { name: 'X-Api-Key', secret: true, value: HAND_EDITED },
          { name: 'X-Trace', secret: false, value: `Bearer ${BEARER}` },
        ],
      },
    ]);
    store.set('auth.clients', { 'as.example#abc': { clientId: 'c1', registrationAccessToken: BEARER, client_secret_expires_at: 0 } });
    const errors = new InternalErrorLog(() => 0);
    errors.record('completeSignIn', new Error(`token endpoint said invalid_grant for refresh_token=${REFRESH}`));
    const session = new KnownSecrets();
    session.add('s1', SESSION_SECRET);
    const log: LogLine[] = [
      { seq: 1, ts: 0, stream: 'stderr', text: `server echoes ${SESSION_SECRET} and dcrClientSecret-K9j8H7g6` },
      { seq: 2, ts: 0, stream: 'protocol', text: `HTTP 401 with WWW-Authenticate; sent Authorization: Bearer ${JWT}` },
    ];
    const files = await collectDiagnostics({
      store,
      vault,
      knownSecrets: session,
      listServers: async () => [{ id: 's1', name: 'Edited', status: { state: 'error', since: 0 } } as unknown as ServerView],
      serverLog: () => log,
      internalErrors: () => errors.list(),
      environment: { app: 'Switchboard' },
      now: () => 0,
    });
    const all = Object.values(files).join('\n');
    for (const secret of [HAND_EDITED, BEARER, REFRESH, SESSION_SECRET, 'dcrClientSecret-K9j8H7g6', JWT]) expect(all).not.toContain(secret);
    expect(files['logs/Edited.log']).toContain('server echoes [redacted] and [redacted]');
    expect(files['logs/internal-errors.log']).toContain('completeSignIn: Error: token endpoint said invalid_grant for refresh_token=[redacted]');
    const unzipped = unzipSync(zipDiagnostics(files, Date.UTC(2026, 0, 1)));
    expect(strFromU8(unzipped['switchboard-diagnostics/logs/Edited.log']!)).toBe(files['logs/Edited.log']);
  });
});
