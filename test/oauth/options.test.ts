import { describe, expect, it } from 'vitest';
import { parseCli } from '../../mock-server/cli.ts';
import { DEFAULT_OPTIONS, SandboxOptionsError } from '../../mock-server/index.ts';
import { resolveOptions, type SandboxOptionsInput } from '../../mock-server/options.ts';
import { runCli } from '../support/cli.ts';

describe('Sage ID options', () => {
  it('defaults to a 90-day absolute refresh token, no rotation, 600 s codes and no extra redirect URIs', () => {
    expect(DEFAULT_OPTIONS).toMatchObject({
      refreshTokenTtlSeconds: 7_776_000,
      refreshTokenRotation: false,
      refreshTokenSliding: false,
      authorizationCodeTtlSeconds: 600,
      redirectUris: [],
    });
  });

  it.each([
    [{ refreshTokenTtlSeconds: 0 }, 'refreshTokenTtlSeconds'],
    [{ refreshTokenTtlSeconds: 1.5 }, 'refreshTokenTtlSeconds'],
    [{ authorizationCodeTtlSeconds: -1 }, 'authorizationCodeTtlSeconds'],
    [{ redirectUris: ['/callback'] }, 'is not an absolute URL'],
    [{ redirectUris: ['http://localhost:3000/cb#x'] }, 'must not contain a fragment'],
  ])('refuses %j at start-up with a clear message', (input, message) => {
    expect(() => resolveOptions(input)).toThrow(SandboxOptionsError);
    expect(() => resolveOptions(input)).toThrow(message);
  });

  it('names its own origin by default, and refuses publicUrls other than origin or sage', () => {
    expect(DEFAULT_OPTIONS.publicUrls).toBe('origin');
    expect(resolveOptions({ publicUrls: 'sage' }).publicUrls).toBe('sage');
    const input = { publicUrls: 'id.sage.com' } as unknown as SandboxOptionsInput;
    expect(() => resolveOptions(input)).toThrow(SandboxOptionsError);
    expect(() => resolveOptions(input)).toThrow('publicUrls must be one of origin, sage, not id.sage.com');
  });
});

describe('Sage ID flags', () => {
  it('parses the refresh-token flags and repeated --redirect-uri', () => {
    const cli = parseCli([
      '--refresh-token-ttl',
      '3600',
      '--refresh-token-rotation',
      '--refresh-token-sliding',
      '--redirect-uri',
      'https://a.example/cb',
      '--redirect-uri',
      'http://localhost:8080/oauth',
    ]);
    expect(cli).toMatchObject({
      refreshTokenTtlSeconds: 3600,
      refreshTokenRotation: true,
      refreshTokenSliding: true,
      redirectUris: ['https://a.example/cb', 'http://localhost:8080/oauth'],
    });
  });

  it.each([
    [['--redirect-uri', 'not a url'], '--redirect-uri not a url is not an absolute URL'],
    [['--refresh-token-ttl', 'forever'], '--refresh-token-ttl must be a whole number'],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
