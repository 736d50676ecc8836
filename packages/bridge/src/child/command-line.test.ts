import { describe, expect, it } from 'vitest';
import { splitCommandLine } from './command-line.js';

describe('splitCommandLine', () => {
  it('splits on whitespace and honours quotes and escapes like a shell', () => {
    expect(splitCommandLine(`npx -y  "my server" 'a b\\c' x\\ y "q\\"uote" ''`)).toEqual([
      'npx',
      '-y',
      'my server',
      'a b\\c',
      'x y',
      'q"uote',
      '',
    ]);
  });

  it('rejects an unclosed quote and an empty command with a clear message', () => {
    expect(() => splitCommandLine('node "oops')).toThrow('unclosed " quote');
    expect(() => splitCommandLine('   ')).toThrow('command line is empty');
  });
});
