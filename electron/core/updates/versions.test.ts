import { describe, expect, it } from 'vitest';
import { describeUpdateError } from './errors';
import { compareVersions, MAX_RELEASE_NOTES, releaseNotesText } from './versions';

describe('compareVersions (semver precedence)', () => {
  it('orders releases and prereleases', () => {
    expect(compareVersions('0.2.0', '0.1.0')).toBeGreaterThan(0);
    expect(compareVersions('0.1.0', '0.1.0')).toBe(0);
    expect(compareVersions('0.0.9', '0.1.0')).toBeLessThan(0);
    expect(compareVersions('1.0.0-beta.1', '1.0.0')).toBeLessThan(0);
    expect(compareVersions('1.0.0-beta.2', '1.0.0-beta.10')).toBeLessThan(0);
    expect(compareVersions('1.0.0-beta', '1.0.0-alpha.9')).toBeGreaterThan(0);
    expect(compareVersions('1.0.0-1', '1.0.0-alpha')).toBeLessThan(0);
    expect(compareVersions('10.0.0', '9.9.9')).toBeGreaterThan(0);
  });

  it('is undefined for anything that is not a version', () => {
    expect(compareVersions('latest', '0.1.0')).toBeUndefined();
    expect(compareVersions('1.0', '0.1.0')).toBeUndefined();
    expect(compareVersions(`1.0.0-${'a'.repeat(100)}`, '0.1.0')).toBeUndefined();
  });
});

describe('releaseNotesText', () => {
  it('is plain text: tags dropped, entities decoded once, control and bidi characters removed', () => {
    expect(releaseNotesText('<h2>New</h2><ul><li>Tray</li><li>A &amp;lt;b&amp;gt; fix</li></ul>')).toBe('New\n• Tray\n• A &lt;b&gt; fix');
    expect(releaseNotesText('safe\u202e\u0007text')).toBe('safetext');
    expect(
      releaseNotesText([
        { version: '0.2.0', note: 'one' },
        { version: '0.1.9', note: null },
      ]),
    ).toBe('0.2.0\none\n\n0.1.9');
    expect(releaseNotesText(42)).toBeUndefined();
  });

  it('is bounded, also for a huge input', () => {
    const text = releaseNotesText('<'.repeat(1_000_000) + 'x'.repeat(1_000_000))!;
    expect(text.length).toBeLessThanOrEqual(MAX_RELEASE_NOTES);
  });
});

describe('describeUpdateError', () => {
  it('names what happened and what to do, never the raw manifest', () => {
    expect(describeUpdateError(Object.assign(new Error('sha512 checksum mismatch, expected a, got b'), { code: 'ERR_CHECKSUM_MISMATCH' }), 'download')).toMatch(
      /checksum \(sha512\).*nothing was installed/,
    );
    expect(describeUpdateError(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), 'download')).toMatch(
      /lost during the download\. Nothing was installed\. Retry/,
    );
    expect(describeUpdateError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'check')).toMatch(/could not reach/);
    expect(describeUpdateError(new Error('net::ERR_NAME_NOT_RESOLVED'), 'check')).toMatch(/could not reach/);
    expect(describeUpdateError(Object.assign(new Error('x'), { statusCode: 503 }), 'check')).toMatch(/HTTP 503/);
    const raw = describeUpdateError(
      Object.assign(new Error(`Cannot parse update info from latest.yml: bad, rawData: ${'secret '.repeat(200)}\nmore`), {
        code: 'ERR_UPDATER_INVALID_UPDATE_INFO',
      }),
      'check',
    );
    expect(raw).toBe('The update server sent a manifest Switchboard cannot read. Try again later.');
    expect(describeUpdateError(new Error(`odd ${'y'.repeat(1000)}\nsecond line`), 'check').length).toBeLessThan(260);
  });
});
