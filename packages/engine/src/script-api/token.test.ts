import { AuthenticationError } from '@gibbon/contracts';
import jwt from 'jsonwebtoken';
import { ScriptTokenKey } from './token';

describe('ScriptTokenKey', () => {
  afterEach(() => jest.useRealTimers());

  it('issues tokens with typ, sub and scope that it verifies', () => {
    const key = new ScriptTokenKey('b-42');
    const token = key.issue(['getBuildContext'], 60);
    expect(key.verify(token)).toMatchObject({
      typ: 'script',
      sub: 'b-42',
      scope: ['getBuildContext'],
    });
    expect(jwt.decode(token, { complete: true })?.header.alg).toBe('HS256');
  });

  it('refuses an expired token', () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const key = new ScriptTokenKey('b-42');
    const token = key.issue(['getBuildContext'], 60);
    jest.setSystemTime(new Date('2026-01-01T00:01:01Z'));
    expect(() => key.verify(token)).toThrow(/expired/);
  });

  it('refuses an unsigned token, whatever it claims', () => {
    const key = new ScriptTokenKey('b-42');
    const unsigned = jwt.sign({ typ: 'script', scope: ['getBuildContext'] }, '', {
      algorithm: 'none',
      subject: 'b-42',
    });
    expect(() => key.verify(unsigned)).toThrow(AuthenticationError);
  });

  it('refuses a token of another build and every token once discarded', () => {
    const key = new ScriptTokenKey('b-42');
    const token = key.issue(['getBuildContext'], 60);
    expect(() => new ScriptTokenKey('b-43').verify(token)).toThrow(AuthenticationError);
    key.discard();
    expect(() => key.verify(token)).toThrow(/ended/);
    expect(() => key.issue([], 60)).toThrow(AuthenticationError);
  });
});
